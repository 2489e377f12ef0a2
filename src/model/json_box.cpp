#include "berth/model/json_box.h"

#include <nlohmann/json.hpp>

namespace berth::model {

JsonBox::JsonBox() : value_(std::make_unique<nlohmann::json>()) {}
JsonBox::JsonBox(nlohmann::json value) : value_(std::make_unique<nlohmann::json>(std::move(value))) {}
JsonBox::JsonBox(const JsonBox& other) : value_(std::make_unique<nlohmann::json>(*other.value_)) {}
JsonBox::JsonBox(JsonBox&& other) noexcept : value_(std::move(other.value_)) {
  other.value_ = nullptr;
}
JsonBox& JsonBox::operator=(const JsonBox& other) {
  if (this != &other) value_ = std::make_unique<nlohmann::json>(*other.value_);
  return *this;
}
JsonBox& JsonBox::operator=(JsonBox&& other) noexcept {
  value_.swap(other.value_);
  return *this;
}
JsonBox::~JsonBox() = default;

}  // namespace berth::model
