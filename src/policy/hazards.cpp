#include "hazards.h"

#include <nlohmann/json.hpp>

#include "berth/model/project.h"
#include "host_paths.h"

namespace berth::policy {

using nlohmann::json;

bool is_unconfined(const std::string& security_opt, const std::string& module) {
  return security_opt == module + ":unconfined" || security_opt == module + "=unconfined";
}

namespace {

std::string text_at(const json& service, const char* key) {
  auto it = service.find(key);
  return it != service.end() && it->is_string() ? it->get<std::string>() : "";
}

// The host directory a named volume binds: the local driver with the
// options of `mount -o bind` (type none, o containing bind, the device).
std::string bound_host_path(const model::Project& project, const std::string& volume_key) {
  const model::Resource* volume = project.find_volume(volume_key);
  if (!volume) return {};
  const json& v = *volume->json;
  if (v.value("driver", "local") != "local") return {};
  auto opts = v.find("driver_opts");
  if (opts == v.end() || !opts->is_object()) return {};
  const std::string o = opts->value("o", "");
  bool bind = false;
  for (size_t start = 0; start <= o.size();) {
    size_t comma = o.find(',', start);
    const std::string option = o.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    bind = bind || option == "bind" || option == "rbind";
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return bind ? opts->value("device", "") : "";
}

}  // namespace

std::vector<Hazard> hazards(const model::Project& project, const json& service) {
  std::vector<Hazard> out;
  if (!service.is_object()) return out;
  if (auto it = service.find("privileged"); it != service.end() && it->is_boolean() && it->get<bool>())
    out.push_back({"privileged", "/privileged", "privileged: true gives the container every capability and device"});
  // A privileged exec has every capability too, whatever the container has.
  auto privileged_exec = [&](const json& exec, const std::string& where, const std::string& what) {
    if (auto p = exec.find("privileged"); exec.is_object() && p != exec.end() && p->is_boolean() && p->get<bool>())
      out.push_back({"privileged", where + "/privileged", what + " runs privileged: every capability and device"});
  };
  for (const char* key : {"post_start", "pre_stop"})
    if (auto hooks = service.find(key); hooks != service.end() && hooks->is_array())
      for (size_t i = 0; i < hooks->size(); ++i)
        if ((*hooks)[i].is_object())
          privileged_exec((*hooks)[i], std::string("/") + key + "/" + std::to_string(i),
                          std::string("the ") + key + " hook");
  if (auto develop = service.find("develop"); develop != service.end() && develop->is_object())
    if (auto watch = develop->find("watch"); watch != develop->end() && watch->is_array())
      for (size_t i = 0; i < watch->size(); ++i)
        if (auto exec = (*watch)[i].find("exec"); (*watch)[i].is_object() && exec != (*watch)[i].end())
          privileged_exec(*exec, "/develop/watch/" + std::to_string(i) + "/exec", "the watch rule's exec");
  struct Namespace {
    const char* key;
    const char* allow;
    const char* what;
  };
  for (const Namespace& ns : {Namespace{"pid", "host_pid", "the host's process namespace"},
                              Namespace{"ipc", "host_ipc", "the host's IPC namespace"},
                              Namespace{"network_mode", "host_network", "the host's network namespace"},
                              Namespace{"uts", "host_uts", "the host's UTS namespace"},
                              Namespace{"userns_mode", "host_userns", "the host's user namespace"}}) {
    if (text_at(service, ns.key) == "host")
      out.push_back({ns.allow, std::string("/") + ns.key, std::string(ns.key) + ": host shares " + ns.what});
  }
  if (auto volumes = service.find("volumes"); volumes != service.end() && volumes->is_array()) {
    for (size_t i = 0; i < volumes->size(); ++i) {
      const json& v = (*volumes)[i];
      if (!v.is_object()) continue;
      const std::string type = v.value("type", "");
      std::string source = v.value("source", "");
      if (type == "volume") source = bound_host_path(project, source);
      else if (type != "bind") continue;
      if (source.empty()) continue;
      std::string where = "/volumes/" + std::to_string(i);
      bool read_only = v.value("read_only", false);
      const std::string through = type == "volume" ? " through volume " + v.value("source", "") : "";
      if (is_engine_socket(source))
        out.push_back({"docker_socket", where, "mounts the container engine's socket " + source + through +
                                                   " (root on the host)"});
      else if (is_sensitive_host_path(source, read_only))
        out.push_back({"sensitive_mount", where,
                       "mounts the sensitive host path " + source + through + (read_only ? "" : " writable")});
      if (auto bind = v.find("bind"); bind != v.end() && bind->is_object()) {
        std::string propagation = bind->value("propagation", "");
        if (propagation == "shared" || propagation == "rshared")
          out.push_back({"shared_propagation", where,
                         "mounts " + source + " with " + propagation + " propagation"});
      }
    }
  }
  if (auto devices = service.find("devices"); devices != service.end() && devices->is_array() && !devices->empty()) {
    std::string list;
    for (const auto& d : *devices)
      list += (list.empty() ? "" : ", ") + (d.is_object() ? d.value("source", "") : d.is_string() ? d.get<std::string>() : d.dump());
    out.push_back({"devices", "/devices", "exposes host devices " + list});
  }
  if (auto opts = service.find("security_opt"); opts != service.end() && opts->is_array()) {
    for (size_t i = 0; i < opts->size(); ++i) {
      std::string opt = (*opts)[i].is_string() ? (*opts)[i].get<std::string>() : "";
      std::string where = "/security_opt/" + std::to_string(i);
      if (is_unconfined(opt, "seccomp"))
        out.push_back({"seccomp_unconfined", where, "security_opt " + opt + " disables the seccomp filter"});
      if (is_unconfined(opt, "apparmor"))
        out.push_back({"apparmor_unconfined", where, "security_opt " + opt + " disables AppArmor"});
    }
  }
  return out;
}

}  // namespace berth::policy
