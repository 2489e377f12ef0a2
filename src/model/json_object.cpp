#include "berth/model/json_object.h"

#include <nlohmann/json.hpp>
#include <string>

namespace berth::model {

nlohmann::json json_object(std::initializer_list<std::pair<std::string_view, nlohmann::json>> members) {
  nlohmann::json out(nlohmann::json::value_t::object);
  auto& object = out.get_ref<nlohmann::json::object_t&>();
  for (const auto& [key, value] : members) object.insert_or_assign(std::string(key), value);
  return out;
}

}  // namespace berth::model
