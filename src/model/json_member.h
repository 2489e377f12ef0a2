#pragma once
// The member `key` of a JSON object, for the model's passes over a
// normalized project.
#include <nlohmann/json.hpp>

namespace berth::model {

// Null when `object` is no object or has no such member.
inline nlohmann::json* json_member(nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace berth::model
