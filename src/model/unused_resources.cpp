#include "berth/model/unused_resources.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace berth::model {
namespace {

void add_sources(const nlohmann::json& service, const char* key, std::set<std::string>& used) {
  auto list = service.find(key);
  if (list == service.end() || !list->is_array()) return;
  for (const auto& item : *list) {
    if (item.is_string()) used.insert(item.get<std::string>());
    else if (item.is_object() && item.contains("source") && item["source"].is_string())
      used.insert(item["source"].get<std::string>());
  }
}

// `networks: [a, b]` or `networks: {a: ..., b: ...}` (models likewise).
void add_names(const nlohmann::json& service, const char* key, std::set<std::string>& used) {
  auto names = service.find(key);
  if (names == service.end()) return;
  if (names->is_object())
    for (const auto& [name, value] : names->items()) used.insert(name);
  else if (names->is_array())
    for (const auto& name : *names)
      if (name.is_string()) used.insert(name.get<std::string>());
}

void keep_only(nlohmann::json& doc, const char* section, const std::set<std::string>& used) {
  auto resources = doc.find(section);
  if (resources == doc.end() || !resources->is_object()) return;
  for (auto it = resources->begin(); it != resources->end();) {
    if (used.count(it.key())) ++it;
    else it = resources->erase(it);
  }
  if (resources->empty()) doc.erase(section);
}

}  // namespace

void drop_unused_resources(nlohmann::json& doc) {
  std::set<std::string> networks, volumes, secrets, configs, models;
  if (auto services = doc.find("services"); services != doc.end() && services->is_object()) {
    for (const auto& service : *services) {
      add_names(service, "networks", networks);
      if (auto list = service.find("volumes"); list != service.end() && list->is_array())
        for (const auto& v : *list)
          if (v.is_object() && v.value("type", "") == "volume" && v.value("source", "") != "")
            volumes.insert(v["source"].get<std::string>());
      add_sources(service, "secrets", secrets);
      add_sources(service, "configs", configs);
      add_names(service, "models", models);
      if (auto build = service.find("build"); build != service.end() && build->is_object())
        add_sources(*build, "secrets", secrets);
    }
  }
  keep_only(doc, "networks", networks);
  keep_only(doc, "volumes", volumes);
  keep_only(doc, "secrets", secrets);
  keep_only(doc, "configs", configs);
  keep_only(doc, "models", models);
}

}  // namespace berth::model
