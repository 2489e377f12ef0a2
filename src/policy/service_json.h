#pragma once
// Reading a service's canonical JSON, shared by the policy (apply.cpp) and
// the audit (audit.cpp) so that both see a setting the same way.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::policy::service_json {

// The key is there and not null.
inline bool present(const nlohmann::json& service, const char* key) {
  auto it = service.find(key);
  return it != service.end() && !it->is_null();
}

// A string or a list of strings as a list; non-strings are skipped.
inline std::vector<std::string> strings_at(const nlohmann::json& service, const char* key) {
  std::vector<std::string> out;
  auto it = service.find(key);
  if (it == service.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array())
    for (const auto& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

// deploy.resources.limits, or nullptr.
inline const nlohmann::json* deploy_limits(const nlohmann::json& service) {
  if (auto d = service.find("deploy"); d != service.end() && d->is_object())
    if (auto r = d->find("resources"); r != d->end() && r->is_object())
      if (auto l = r->find("limits"); l != r->end() && l->is_object()) return &*l;
  return nullptr;
}

}  // namespace berth::policy::service_json
