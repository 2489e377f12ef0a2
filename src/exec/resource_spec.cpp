#include "resource_spec.h"

#include <nlohmann/json.hpp>

#include "berth/model/config_hash.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"

namespace berth::exec {
namespace {

using nlohmann::json;
namespace L = model::labels;

// The engine wants string values for options and labels: others as their JSON text.
json string_map(const json& v) {
  json out = json::object();
  if (v.is_object())
    for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  return out;
}

}  // namespace

json network_create_body(const model::Project& project, const model::Resource& network) {
  const json& n = *network.json;
  json body = json::object();
  body["CheckDuplicate"] = true;
  body["Driver"] = n.value("driver", "bridge");
  if (n.contains("driver_opts")) body["Options"] = string_map(n["driver_opts"]);
  body["Internal"] = n.value("internal", false);
  body["Attachable"] = n.value("attachable", false);
  if (n.contains("enable_ipv6") && n["enable_ipv6"].is_boolean()) body["EnableIPv6"] = n["enable_ipv6"].get<bool>();
  if (auto it = n.find("ipam"); it != n.end() && it->is_object()) {
    json ipam = json::object();
    if (it->contains("driver")) ipam["Driver"] = (*it)["driver"];
    if (it->contains("options")) ipam["Options"] = string_map((*it)["options"]);
    json configs = json::array();
    for (const auto& c : it->value("config", json::array())) {
      json out = json::object();
      if (c.contains("subnet")) out["Subnet"] = c["subnet"];
      if (c.contains("ip_range")) out["IPRange"] = c["ip_range"];
      if (c.contains("gateway")) out["Gateway"] = c["gateway"];
      if (c.contains("aux_addresses")) out["AuxiliaryAddresses"] = string_map(c["aux_addresses"]);
      configs.push_back(std::move(out));
    }
    if (!configs.empty()) ipam["Config"] = std::move(configs);
    body["IPAM"] = std::move(ipam);
  }
  json labels = string_map(n.value("labels", json::object()));
  labels[L::kProject] = project.name;
  labels[L::kNetwork] = network.key;
  labels[L::kVersion] = std::string(BERTH_VERSION);
  labels[L::kConfigHash] = model::network_config_hash(network);
  body["Labels"] = std::move(labels);
  return body;
}

json volume_create_body(const model::Project& project, const model::Resource& volume) {
  const json& v = *volume.json;
  json body = json::object();
  body["Driver"] = v.value("driver", "local");
  if (v.contains("driver_opts")) body["DriverOpts"] = string_map(v["driver_opts"]);
  json labels = string_map(v.value("labels", json::object()));
  labels[L::kProject] = project.name;
  labels[L::kVolume] = volume.key;
  labels[L::kVersion] = std::string(BERTH_VERSION);
  body["Labels"] = std::move(labels);
  return body;
}

}  // namespace berth::exec
