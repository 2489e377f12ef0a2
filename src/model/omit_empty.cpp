#include "berth/model/omit_empty.h"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <unordered_set>
#include <nlohmann/json.hpp>

#include "json_member.h"

namespace berth::model {
namespace {

using nlohmann::json;
using Keys = std::initializer_list<const char*>;

bool is_zero(const json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().empty();
  if (value.is_boolean()) return !value.get<bool>();
  if (value.is_number()) return value.get<double>() == 0;
  if (value.is_array() || value.is_object()) return value.empty();
  return false;
}

// Drops each of `keys` whose value is a zero of its kind. Null is left alone:
// it has a meaning of its own in compose files (`networks: {n: null}`).
void drop_zero(json& object, Keys keys) {
  if (!object.is_object()) return;
  for (const char* key : keys)
    if (auto it = object.find(key); it != object.end() && is_zero(*it)) object.erase(it);
}

void service_networks(json& service) {
  json* networks = json_member(service, "networks");
  if (!networks || !networks->is_object()) return;
  for (auto& [name, network] : networks->items())
    drop_zero(network, {"aliases", "driver_opts", "gw_priority", "interface_name", "ipv4_address", "ipv6_address",
                        "link_local_ips", "mac_address", "priority"});
}

void volume_mounts(json& service) {
  json* volumes = json_member(service, "volumes");
  if (!volumes || !volumes->is_array()) return;
  for (auto& volume : *volumes) {
    drop_zero(volume, {"read_only", "consistency"});
    if (json* bind = json_member(volume, "bind")) drop_zero(*bind, {"create_host_path", "selinux", "propagation", "recursive"});
    if (json* named = json_member(volume, "volume")) drop_zero(*named, {"nocopy", "subpath", "labels"});
    if (json* tmpfs = json_member(volume, "tmpfs")) drop_zero(*tmpfs, {"size", "mode"});
  }
}

// A service's attributes compose leaves out at their zero value: strings,
// booleans, numbers, lists and maps (not `command`/`entrypoint`, `init`,
// `attach`, `read_only`, `mem_swappiness`: see the header).
bool omitted_when_zero(std::string_view key) {
  static const std::unordered_set<std::string_view> keys = {
      "cgroup", "cgroup_parent", "container_name", "cpuset", "domainname", "hostname", "image", "ipc", "isolation",
      "mac_address", "network_mode", "pid", "platform", "pull_policy", "restart", "runtime", "stop_signal", "user",
      "userns_mode", "uts", "volume_driver", "working_dir",
      "oom_kill_disable", "privileged", "stdin_open", "tty", "use_api_socket",
      "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpus", "cpu_shares",
      "oom_score_adj", "pids_limit", "mem_limit", "mem_reservation", "memswap_limit", "shm_size",
      "annotations", "cap_add", "cap_drop", "configs", "depends_on", "device_cgroup_rules", "devices", "dns",
      "dns_opt", "dns_search", "env_file", "environment", "expose", "external_links", "extra_hosts", "group_add",
      "gpus", "labels", "label_file", "links", "ports", "post_start", "pre_stop", "profiles", "secrets",
      "security_opt", "storage_opt", "sysctls", "tmpfs", "ulimits", "volumes", "volumes_from"};
  return keys.contains(key);
}

void service(json& svc) {
  if (!svc.is_object()) return;
  // Walks the service's own keys (a dozen or so) rather than looking up
  // every attribute compose has: this runs over every service printed.
  for (auto it = svc.begin(); it != svc.end();) {
    if (omitted_when_zero(it.key()) && is_zero(*it)) it = svc.erase(it);
    else ++it;
  }
  if (json* build = json_member(svc, "build"))
    drop_zero(*build, {"target", "network", "isolation", "no_cache", "pull", "privileged", "args", "labels",
                       "cache_from", "cache_to", "extra_hosts", "secrets", "ssh", "tags", "platforms",
                       "additional_contexts", "ulimits", "entitlements", "shm_size"});
  if (json* healthcheck = json_member(svc, "healthcheck")) drop_zero(*healthcheck, {"disable"});
  if (json* logging = json_member(svc, "logging")) drop_zero(*logging, {"driver", "options"});
  if (json* depends_on = json_member(svc, "depends_on"); depends_on && depends_on->is_object())
    for (auto& [name, dependency] : depends_on->items()) drop_zero(dependency, {"restart"});
  if (json* ports = json_member(svc, "ports"); ports && ports->is_array())
    for (auto& port : *ports) drop_zero(port, {"name", "published", "app_protocol"});
  service_networks(svc);
  volume_mounts(svc);
}

void resources(json& project, const char* kind, Keys keys) {
  json* section = json_member(project, kind);
  if (!section || !section->is_object()) return;
  for (auto& [name, resource] : section->items()) drop_zero(resource, keys);
}

}  // namespace

void omit_zero_values(json& project) {
  if (json* services = json_member(project, "services"); services && services->is_object())
    for (auto& [name, svc] : services->items()) service(svc);
  resources(project, "networks", {"driver", "driver_opts", "internal", "attachable", "external", "labels"});
  resources(project, "volumes", {"driver", "driver_opts", "external", "labels"});
  resources(project, "secrets", {"external", "labels"});
  resources(project, "configs", {"external", "labels"});
}

void go_json_escapes(std::string& text) {
  if (text.find_first_of("<>&\xe2") == std::string::npos) return;
  std::string out;
  out.reserve(text.size() + 64);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else if (c == '\xe2' && i + 2 < text.size() && text[i + 1] == '\x80' && (text[i + 2] == '\xa8' || text[i + 2] == '\xa9')) {
      out += text[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  text = std::move(out);
}

void unset_commands_as_null(json& project) {
  json* services = json_member(project, "services");
  if (!services || !services->is_object()) return;
  for (auto& [name, svc] : services->items())
    if (svc.is_object())
      for (const char* key : {"command", "entrypoint"})
        if (!svc.contains(key)) svc[key] = nullptr;
}

namespace {

void whole_float_as_integer(json& value) {
  if (value.is_number_float()) {
    const double number = value.get<double>();
    // Beyond 2^53 a double holds only whole numbers and Go prints those with
    // an exponent: left as they are.
    if (std::isfinite(number) && number == std::trunc(number) && std::fabs(number) < 9007199254740992.0)
      value = static_cast<std::int64_t>(number);
  } else if (value.is_structured()) {
    for (auto& item : value) whole_float_as_integer(item);
  }
}

void whole_float_at(json& object, const char* key) {
  if (json* value = json_member(object, key)) whole_float_as_integer(*value);
}

// Extension values (`x-*`) may hold floats anywhere.
void extension_floats(json& object) {
  if (!object.is_object()) return;
  for (auto& [key, value] : object.items())
    if (key.starts_with("x-")) whole_float_as_integer(value);
}

}  // namespace

// The canonical model's floats are few and known (the other numbers are
// integers, the other values strings): only those are visited, not the
// whole document.
void whole_floats_as_integers(json& doc) {
  if (!doc.is_object()) {
    whole_float_as_integer(doc);
    return;
  }
  extension_floats(doc);
  json* services = json_member(doc, "services");
  if (!services || !services->is_object()) return;
  for (auto& [name, svc] : services->items()) {
    if (!svc.is_object()) continue;
    extension_floats(svc);
    whole_float_at(svc, "cpus");
    whole_float_at(svc, "cpu_percent");
    if (json* deploy = json_member(svc, "deploy")) {
      if (json* resources = json_member(*deploy, "resources"))
        for (const char* section : {"limits", "reservations"})
          if (json* s = json_member(*resources, section)) whole_float_at(*s, "cpus");
      for (const char* update : {"update_config", "rollback_config"})
        if (json* u = json_member(*deploy, update)) whole_float_at(*u, "max_failure_ratio");
    }
  }
}

}  // namespace berth::model
