#include "normalize.h"

#include <nlohmann/json.hpp>

#include "berth/loader/diagnostics.h"
#include "to_json.h"
#include "berth/model/json_object.h"
#include "berth/util/strings.h"

namespace berth::loader {

using nlohmann::json;

namespace {

constexpr const char* kServicePrefix = "service:";

void add_dependency_if_missing(json& service, const std::string& name, bool restart) {
  json& depends_on = service["depends_on"];
  if (!depends_on.is_object()) depends_on = json::object();
  if (depends_on.contains(name)) return;
  depends_on[name] = model::json_object({{"condition", "service_started"}, {"required", true}});
  if (restart) depends_on[name]["restart"] = true;
}

void implicit_dependencies(json& service) {
  if (auto links = service.find("links"); links != service.end() && links->is_array())
    for (const auto& link : *links)
      if (link.is_string()) {
        std::string text = link.get<std::string>();
        add_dependency_if_missing(service, text.substr(0, text.find(':')), true);
      }
  for (const char* key : {"network_mode", "ipc", "pid", "uts", "cgroup"}) {
    auto it = service.find(key);
    if (it == service.end() || !it->is_string()) continue;
    std::string value = it->get<std::string>();
    if (value.starts_with(kServicePrefix))
      add_dependency_if_missing(service, value.substr(std::string(kServicePrefix).size()), true);
  }
  if (auto from = service.find("volumes_from"); from != service.end() && from->is_array())
    for (const auto& entry : *from)
      if (entry.is_string()) {
        std::string text = entry.get<std::string>();
        if (text.starts_with("container:")) continue;
        add_dependency_if_missing(service, text.substr(0, text.find(':')), false);
      }
}

void name_resources(json& doc, const char* kind, const std::string& project_name) {
  auto section = doc.find(kind);
  if (section == doc.end() || !section->is_object()) return;
  for (auto& [key, resource] : section->items()) {
    if (resource.is_null()) resource = json::object();
    if (!resource.is_object()) continue;
    if (resource.contains("name")) continue;
    auto external = resource.find("external");
    // `external: {}` without a name (its named form is moved by relocate_external_names).
    bool is_external = external != resource.end() &&
                       ((external->is_boolean() && external->get<bool>()) || external->is_object());
    resource["name"] = is_external ? key : project_name + "_" + key;
  }
}

}  // namespace

void relocate_external_names(nlohmann::json& project, Diagnostics& diagnostics, const MarkLookup& mark) {
  if (!project.is_object()) return;
  for (const char* kind : {"networks", "volumes", "secrets", "configs"}) {
    auto section = project.find(kind);
    if (section == project.end() || !section->is_object()) continue;
    for (auto& [key, resource] : section->items()) {
      if (!resource.is_object()) continue;
      auto external = resource.find("external");
      if (external == resource.end() || !external->is_object()) continue;
      const std::string pointer = std::string("/") + kind + "/" + escape_json_pointer_token(key);
      const std::string where = std::string(kind) + "." + key;
      if (auto external_name = external->find("name"); external_name != external->end()) {
        const SourceMark at = mark ? mark(pointer + "/external/name") : SourceMark{};
        diagnostics.warn(where + ": external.name is deprecated. Please set name and external: true", at);
        auto name = resource.find("name");
        if (name != resource.end() && *name != *external_name)
          throw config_error(at, where + ": name and external.name conflict; only use name");
        if (name == resource.end()) resource["name"] = *external_name;
      }
      resource["external"] = true;
    }
  }
}

void normalize(nlohmann::json& project, const NormalizeContext& ctx) {
  if (!project.is_object()) return;
  bool default_network_used = false;
  if (auto services = project.find("services"); services != project.end() && services->is_object()) {
    for (auto& [name, service] : services->items()) {
      if (!service.is_object()) continue;
      auto networks = service.find("networks");
      bool has_networks = networks != service.end() && !networks->is_null() && !networks->empty();
      if (!has_networks && !service.contains("network_mode")) {
        service["networks"] = model::json_object({{"default", nullptr}});
        default_network_used = true;
      } else if (has_networks && networks->is_object() && networks->contains("default")) {
        default_network_used = true;
      }
      if (auto pull = service.find("pull_policy"); pull != service.end() && pull->is_string() &&
                                                     pull->get<std::string>() == "if_not_present")
        *pull = "missing";
      implicit_dependencies(service);
    }
  }
  if (default_network_used) {
    json& networks = project["networks"];
    if (!networks.is_object()) networks = json::object();
    if (!networks.contains("default")) networks["default"] = json::object();
  }
  for (const char* kind : {"networks", "volumes", "secrets", "configs"})
    name_resources(project, kind, ctx.project_name);
}

}  // namespace berth::loader
