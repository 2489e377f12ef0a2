#pragma once
// A heap-held nlohmann::json with value semantics, so that model headers can
// carry JSON while including only <nlohmann/json_fwd.hpp>.
#include <memory>
#include <nlohmann/json_fwd.hpp>

namespace berth::model {

class JsonBox {
 public:
  JsonBox();  // holds null
  explicit JsonBox(nlohmann::json value);
  JsonBox(const JsonBox& other);
  JsonBox(JsonBox&&) noexcept;
  JsonBox& operator=(const JsonBox& other);
  JsonBox& operator=(JsonBox&&) noexcept;
  ~JsonBox();

  nlohmann::json& operator*() { return *value_; }
  const nlohmann::json& operator*() const { return *value_; }
  nlohmann::json* operator->() { return value_.get(); }
  const nlohmann::json* operator->() const { return value_.get(); }

 private:
  std::unique_ptr<nlohmann::json> value_;
};

}  // namespace berth::model
