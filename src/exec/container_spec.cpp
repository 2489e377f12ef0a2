#include "container_spec.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/engine/api_version.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/model/units.h"
#include "berth/util/whole_int64.h"
#include "berth/util/error.h"

namespace berth::exec {
namespace {

using nlohmann::json;

// Service attributes that decide something other than the container body
// (build, scheduling, the planner) or that this file reads below.
const std::set<std::string, std::less<>> kHandledAttributes = {
    "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup",
    "cgroup_parent", "command", "configs", "container_name", "cpu_count", "cpu_percent",
    "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset",
    "depends_on", "deploy", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search",
    "domainname", "entrypoint", "env_file", "environment", "expose", "external_links",
    "extra_hosts", "gpus", "group_add", "healthcheck", "hostname", "image", "init", "ipc",
    "isolation", "labels", "links", "logging", "mac_address", "mem_limit", "mem_reservation",
    "mem_swappiness", "memswap_limit", "network_mode", "networks", "oom_kill_disable",
    "oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged", "profiles",
    "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt",
    "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls",
    "tmpfs", "tty", "ulimits", "user", "userns_mode", "uts", "volumes", "volumes_from",
    "working_dir", "label_file", "pull_refresh_after", "extends", "develop", "post_start",
    "pre_stop", "models", "provider", "use_api_socket", "credential_spec", "label_file"};

// Keys under deploy that only a swarm uses; docker compose ignores them.
const std::set<std::string, std::less<>> kSwarmOnlyDeploy = {
    "mode", "placement", "update_config", "rollback_config", "endpoint_mode", "labels"};

[[noreturn]] void unsupported(const std::string& service, const std::string& path,
                              const std::string& why) {
  throw Error(ErrorKind::Config, "service \"" + service + "\": " + path + ": " + why);
}

const json* get(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_float()) {
    std::string s = v.dump();
    return s;
  }
  if (v.is_null()) return "";
  return v.dump();
}

std::vector<std::string> string_list(const json* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_array()) {
    for (const auto& item : *v) out.push_back(scalar_text(item));
  } else {
    out.push_back(scalar_text(*v));
  }
  return out;
}

// Byte sizes arrive as integers in canonical form, as strings ("512m") when
// written by hand into JSON.
int64_t bytes_of(const json& v, const std::string& service, const std::string& path) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    if (auto whole = whole_int64(v.get<double>())) return *whole;
  } else if (v.is_string()) {
    if (auto b = model::parse_bytes(v.get<std::string>())) return *b;
  }
  unsupported(service, path, "invalid byte size " + v.dump());
}

int64_t nanoseconds_of(const json& v, const std::string& service, const std::string& path) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    if (auto d = model::parse_duration(v.get<std::string>())) return *d;
  }
  unsupported(service, path, "invalid duration " + v.dump());
}

double number_of(const json& v, const std::string& service, const std::string& path) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    try {
      size_t used = 0;
      double d = std::stod(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size()) return d;
    } catch (const std::exception&) {
    }
  }
  unsupported(service, path, "expected a number, got " + v.dump());
}

int64_t nano_cpus_of(const json& v, const std::string& service, const std::string& path) {
  if (auto nano = whole_int64(number_of(v, service, path) * 1e9)) return *nano;
  unsupported(service, path, "cpus " + v.dump() + " is out of range");
}

// map or ["K=V"] -> ordered map; a null value means "K" without a value.
std::vector<std::pair<std::string, std::optional<std::string>>> key_values(const json* v) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  if (!v) return out;
  if (v->is_object()) {
    for (auto it = v->begin(); it != v->end(); ++it) {
      if (it->is_null())
        out.emplace_back(it.key(), std::nullopt);
      else
        out.emplace_back(it.key(), scalar_text(*it));
    }
  } else if (v->is_array()) {
    for (const auto& item : *v) {
      std::string s = scalar_text(item);
      auto eq = s.find('=');
      if (eq == std::string::npos)
        out.emplace_back(s, std::nullopt);
      else
        out.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    }
  }
  return out;
}

json string_map(const json* v) {
  json out = json::object();
  for (auto& [k, val] : key_values(v)) out[k] = val.value_or("");
  return out;
}

std::string engine_resource_name(const std::vector<model::Resource>& resources,
                                 const std::string& key, const std::string& project) {
  for (const auto& r : resources)
    if (r.key == key) return r.name;
  return project + "_" + key;
}

class SpecBuilder {
 public:
  SpecBuilder(const model::Project& project, const model::Service& service,
              const ContainerIdentity& identity, const SpecOptions& options)
      : project_(project),
        service_(service),
        s_(*service.json),
        identity_(identity),
        options_(options) {}

  ContainerSpec build() {
    check_attributes();
    spec_.name = identity_.name;
    if (auto* p = get(s_, "platform")) spec_.platform = p->get<std::string>();
    config_["Image"] = service_.image_name(project_.name);
    basics();
    environment();
    labels();
    healthcheck();
    ports();
    mounts();
    resources();
    security();
    networking();
    logging();
    restart();
    if (identity_.oneoff) oneoff(*identity_.oneoff);
    config_["HostConfig"] = std::move(host_);
    config_["NetworkingConfig"] = {{"EndpointsConfig", std::move(endpoints_)}};
    *spec_.body = std::move(config_);
    return std::move(spec_);
  }

 private:
  const std::string& name() const { return service_.name; }
  std::string path(const std::string& p) const { return "services." + name() + "." + p; }

  void check_attributes() {
    for (auto it = s_.begin(); it != s_.end(); ++it) {
      const std::string& key = it.key();
      if (key.starts_with("x-") || kHandledAttributes.count(key)) continue;
      unsupported(name(), path(key), "berth cannot pass this attribute to the engine");
    }
    if (get(s_, "credential_spec"))
      unsupported(name(), path("credential_spec"), "only Windows containers support it");
    for (const char* key : {"models", "provider", "use_api_socket",
                            "label_file", "cpu_count", "cpu_percent"}) {
      if (get(s_, key))
        unsupported(name(), path(key), "not supported by berth yet");
    }
    if (auto* deploy = get(s_, "deploy")) {
      for (auto it = deploy->begin(); it != deploy->end(); ++it) {
        if (kSwarmOnlyDeploy.count(it.key()))
          spec_.warnings.push_back(path("deploy." + it.key()) +
                                   " is ignored: it only applies to a swarm");
      }
    }
  }

  void basics() {
    auto copy_string = [&](const char* from, const char* to) {
      if (auto* v = get(s_, from)) config_[to] = scalar_text(*v);
    };
    copy_string("hostname", "Hostname");
    copy_string("domainname", "Domainname");
    copy_string("user", "User");
    copy_string("working_dir", "WorkingDir");
    copy_string("stop_signal", "StopSignal");
    if (auto* v = get(s_, "command")) config_["Cmd"] = string_list(v);
    if (auto* v = get(s_, "entrypoint")) config_["Entrypoint"] = string_list(v);
    bool tty = get(s_, "tty") && get(s_, "tty")->get<bool>();
    bool stdin_open = get(s_, "stdin_open") && get(s_, "stdin_open")->get<bool>();
    config_["Tty"] = tty;
    config_["OpenStdin"] = stdin_open;
    config_["AttachStdin"] = false;
    config_["AttachStdout"] = true;
    config_["AttachStderr"] = true;
    if (auto* v = get(s_, "stop_grace_period"))
      config_["StopTimeout"] = nanoseconds_of(*v, name(), path("stop_grace_period")) / 1000000000;
    if (auto* v = get(s_, "mac_address")) {
      // The engine moved the MAC address to the endpoint in API 1.44.
      if (engine::compare_api_versions(options_.api_version, "1.44") < 0)
        config_["MacAddress"] = scalar_text(*v);
      else
        primary_endpoint_mac_ = scalar_text(*v);
    }
  }

  void environment() {
    json env = json::array();
    for (auto& [k, v] : key_values(get(s_, "environment")))
      env.push_back(v ? k + "=" + *v : k);
    config_["Env"] = std::move(env);
  }

  void labels() {
    json labels = string_map(get(s_, "labels"));
    namespace L = model::labels;
    labels[L::kProject] = project_.name;
    labels[L::kService] = name();
    labels[L::kContainerNumber] = std::to_string(identity_.number);
    labels[L::kOneoff] = identity_.oneoff ? "True" : "False";
    labels[L::kConfigHash] = identity_.config_hash;
    labels[L::kWorkingDir] = project_.working_dir;
    std::string files;
    for (const auto& f : project_.config_files) files += (files.empty() ? "" : ",") + f;
    labels[L::kConfigFiles] = files;
    labels[L::kVersion] = std::string(BERTH_VERSION);
    labels[L::kBerthVersion] = std::string(BERTH_VERSION);
    std::string deps;
    for (const auto& d : service_.depends_on) {
      if (!deps.empty()) deps += ",";
      deps += d.service + ":" + d.condition + ":" + (d.restart ? "true" : "false");
    }
    labels[L::kDependsOn] = deps;
    if (!identity_.image_id.empty()) labels[L::kImage] = identity_.image_id;
    if (!identity_.replaces.empty()) labels[L::kReplace] = identity_.replaces;
    config_["Labels"] = std::move(labels);
    if (auto* a = get(s_, "annotations")) host_["Annotations"] = string_map(a);
  }

  void healthcheck() {
    auto* hc = get(s_, "healthcheck");
    if (!hc) return;
    json out = json::object();
    if (auto* d = get(*hc, "disable"); d && d->get<bool>()) {
      out["Test"] = {"NONE"};
    } else if (auto* test = get(*hc, "test")) {
      if (test->is_string())
        out["Test"] = {"CMD-SHELL", test->get<std::string>()};
      else
        out["Test"] = string_list(test);
    }
    auto duration = [&](const char* key, const char* to) {
      if (auto* v = get(*hc, key)) out[to] = nanoseconds_of(*v, name(), path("healthcheck." + std::string(key)));
    };
    duration("interval", "Interval");
    duration("timeout", "Timeout");
    duration("start_period", "StartPeriod");
    duration("start_interval", "StartInterval");
    if (auto* v = get(*hc, "retries")) out["Retries"] = v->get<int64_t>();
    config_["Healthcheck"] = std::move(out);
  }

  void ports() {
    json exposed = json::object();
    json bindings = json::object();
    auto expose_range = [&](const std::string& spec) {
      // "8000", "8000/udp", "8000-8002/tcp"
      std::string ports = spec, proto = "tcp";
      if (auto slash = spec.find('/'); slash != std::string::npos) {
        ports = spec.substr(0, slash);
        proto = spec.substr(slash + 1);
      }
      auto dash = ports.find('-');
      if (dash == std::string::npos) {
        exposed[ports + "/" + proto] = json::object();
        return;
      }
      int from = std::stoi(ports.substr(0, dash)), to = std::stoi(ports.substr(dash + 1));
      for (int p = from; p <= to; ++p) exposed[std::to_string(p) + "/" + proto] = json::object();
    };
    for (const auto& e : string_list(get(s_, "expose"))) {
      try {
        expose_range(e);
      } catch (const std::exception&) {
        unsupported(name(), path("expose"), "invalid port \"" + e + "\"");
      }
    }
    for (const auto& p : service_.ports) {
      std::string key = std::to_string(p.target) + "/" + p.protocol;
      exposed[key] = json::object();
      if (p.mode == "host" || p.mode == "ingress") {
        json binding = {{"HostIp", p.host_ip}, {"HostPort", p.published}};
        bindings[key].push_back(std::move(binding));
      }
    }
    if (!exposed.empty()) config_["ExposedPorts"] = std::move(exposed);
    if (!bindings.empty()) host_["PortBindings"] = std::move(bindings);
  }

  void mounts() {
    json binds = json::array();
    json mounts = json::array();
    json tmpfs = json::object();
    const json* volumes = get(s_, "volumes");
    for (const auto& v : volumes ? *volumes : json::array()) {
      std::string type = v.value("type", "volume");
      std::string target = v.value("target", "");
      bool read_only = v.value("read_only", false);
      if (type == "bind") {
        std::string source = v.value("source", "");
        const json* bind = get(v, "bind");
        bool create = bind && bind->value("create_host_path", false);
        std::string propagation = bind ? bind->value("propagation", "") : "";
        std::string selinux = bind ? bind->value("selinux", "") : "";
        if (create) {
          // The legacy Binds form is the one that creates a missing host path,
          // which is what compose's short syntax promises.
          std::string b = source + ":" + target;
          std::vector<std::string> opts;
          if (read_only) opts.push_back("ro");
          if (!selinux.empty()) opts.push_back(selinux);
          if (!propagation.empty()) opts.push_back(propagation);
          for (size_t i = 0; i < opts.size(); ++i) b += (i == 0 ? ":" : ",") + opts[i];
          binds.push_back(b);
        } else {
          json m = {{"Type", "bind"}, {"Source", source}, {"Target", target}, {"ReadOnly", read_only}};
          if (!propagation.empty()) m["BindOptions"]["Propagation"] = propagation;
          if (!selinux.empty())
            unsupported(name(), path("volumes"), "selinux relabelling needs bind.create_host_path");
          mounts.push_back(std::move(m));
        }
      } else if (type == "volume") {
        std::string source = v.value("source", "");
        json m = {{"Type", "volume"}, {"Target", target}, {"ReadOnly", read_only}};
        if (!source.empty())
          m["Source"] = engine_resource_name(project_.volumes, source, project_.name);
        if (const json* opts = get(v, "volume")) {
          if (opts->value("nocopy", false)) m["VolumeOptions"]["NoCopy"] = true;
          if (auto* sub = get(*opts, "subpath")) {
            if (engine::compare_api_versions(options_.api_version, "1.45") < 0)
              unsupported(name(), path("volumes"),
                          "volume.subpath needs engine API 1.45, this engine speaks " +
                              options_.api_version);
            m["VolumeOptions"]["Subpath"] = sub->get<std::string>();
          }
        }
        mounts.push_back(std::move(m));
      } else if (type == "tmpfs") {
        json m = {{"Type", "tmpfs"}, {"Target", target}, {"ReadOnly", read_only}};
        if (const json* opts = get(v, "tmpfs")) {
          if (auto* size = get(*opts, "size"))
            m["TmpfsOptions"]["SizeBytes"] = bytes_of(*size, name(), path("volumes.tmpfs.size"));
          if (auto* mode = get(*opts, "mode")) m["TmpfsOptions"]["Mode"] = mode->get<int64_t>();
        }
        mounts.push_back(std::move(m));
      } else {
        unsupported(name(), path("volumes"), "mount type \"" + type + "\" is not supported by berth");
      }
    }
    for (const auto& t : string_list(get(s_, "tmpfs"))) {
      auto colon = t.find(':');
      tmpfs[t.substr(0, colon)] = colon == std::string::npos ? "" : t.substr(colon + 1);
    }
    file_references("secrets", "/run/secrets/", project_.secrets, binds);
    file_references("configs", "/", project_.configs, binds);
    if (!binds.empty()) host_["Binds"] = std::move(binds);
    if (!mounts.empty()) host_["Mounts"] = std::move(mounts);
    if (!tmpfs.empty()) host_["Tmpfs"] = std::move(tmpfs);

    json volumes_from = json::array();
    for (const auto& from : string_list(get(s_, "volumes_from"))) {
      // "service[:ro|rw]" or "container:name[:ro|rw]"
      std::string ref = from, mode;
      if (ref.starts_with("container:")) {
        ref = ref.substr(10);
        if (auto c = ref.rfind(':'); c != std::string::npos) {
          mode = ref.substr(c);
          ref = ref.substr(0, c);
        }
        volumes_from.push_back(ref + mode);
        continue;
      }
      if (auto c = ref.rfind(':'); c != std::string::npos) {
        mode = ref.substr(c);
        ref = ref.substr(0, c);
      }
      volumes_from.push_back(resolve(ref, "volumes_from") + mode);
    }
    if (!volumes_from.empty()) host_["VolumesFrom"] = std::move(volumes_from);
  }

  // Secrets and configs backed by a file become read-only binds, as docker
  // compose does without a swarm.
  void file_references(const char* attribute, const std::string& default_dir,
                       const std::vector<model::Resource>& defined, json& binds) {
    const json* refs = get(s_, attribute);
    if (!refs) return;
    for (const auto& ref : *refs) {
      std::string source = ref.is_string() ? ref.get<std::string>() : ref.value("source", "");
      std::string target = ref.is_object() ? ref.value("target", "") : "";
      const model::Resource* resource = nullptr;
      for (const auto& r : defined)
        if (r.key == source) resource = &r;
      std::string where = path(std::string(attribute));
      if (!resource) unsupported(name(), where, "\"" + source + "\" is not defined at the top level");
      const json* file = get(*resource->json, "file");
      if (!file)
        unsupported(name(), where,
                    "\"" + source + "\" is not backed by a file; only file-based " + attribute +
                        " are supported by berth yet");
      if (target.empty()) target = default_dir + source;
      else if (!target.starts_with("/")) target = default_dir + target;
      binds.push_back(file->get<std::string>() + ":" + target + ":ro");
    }
  }

  void resources() {
    auto set_bytes = [&](const char* key, const char* to) {
      if (auto* v = get(s_, key)) host_[to] = bytes_of(*v, name(), path(key));
    };
    set_bytes("mem_limit", "Memory");
    set_bytes("mem_reservation", "MemoryReservation");
    set_bytes("memswap_limit", "MemorySwap");
    set_bytes("shm_size", "ShmSize");
    auto set_int = [&](const char* key, const char* to) {
      if (auto* v = get(s_, key)) host_[to] = static_cast<int64_t>(number_of(*v, name(), path(key)));
    };
    set_int("mem_swappiness", "MemorySwappiness");
    set_int("cpu_shares", "CpuShares");
    set_int("cpu_quota", "CpuQuota");
    set_int("cpu_period", "CpuPeriod");
    set_int("oom_score_adj", "OomScoreAdj");
    set_int("pids_limit", "PidsLimit");
    if (auto* v = get(s_, "cpu_rt_period")) host_["CpuRealtimePeriod"] = nanoseconds_of(*v, name(), path("cpu_rt_period")) / 1000;
    if (auto* v = get(s_, "cpu_rt_runtime")) host_["CpuRealtimeRuntime"] = nanoseconds_of(*v, name(), path("cpu_rt_runtime")) / 1000;
    if (auto* v = get(s_, "cpus"))
      host_["NanoCpus"] = nano_cpus_of(*v, name(), path("cpus"));
    if (auto* v = get(s_, "cpuset")) host_["CpusetCpus"] = scalar_text(*v);
    if (auto* v = get(s_, "oom_kill_disable")) host_["OomKillDisable"] = v->get<bool>();

    if (auto* deploy = get(s_, "deploy")) {
      if (auto* res = get(*deploy, "resources")) {
        if (auto* limits = get(*res, "limits")) {
          if (auto* v = get(*limits, "memory")) host_["Memory"] = bytes_of(*v, name(), path("deploy.resources.limits.memory"));
          if (auto* v = get(*limits, "cpus"))
            host_["NanoCpus"] = nano_cpus_of(*v, name(), path("deploy.resources.limits.cpus"));
          if (auto* v = get(*limits, "pids")) host_["PidsLimit"] = v->get<int64_t>();
        }
        if (auto* reservations = get(*res, "reservations")) {
          if (auto* v = get(*reservations, "memory"))
            host_["MemoryReservation"] = bytes_of(*v, name(), path("deploy.resources.reservations.memory"));
          if (auto* devices = get(*reservations, "devices"))
            for (const auto& d : *devices) device_request(d);
        }
      }
    }
    if (auto* gpus = get(s_, "gpus")) {
      for (const auto& g : gpus->is_array() ? *gpus : json::array({*gpus})) {
        json d = g.is_object() ? g : json{{"count", -1}};
        if (!d.contains("capabilities")) d["capabilities"] = json::array({"gpu"});
        device_request(d);
      }
    }

    if (auto* ulimits = get(s_, "ulimits")) {
      json out = json::array();
      for (auto it = ulimits->begin(); it != ulimits->end(); ++it) {
        int64_t soft, hard;
        if (it->is_object()) {
          soft = it->value("soft", int64_t{0});
          hard = it->value("hard", soft);
        } else {
          soft = hard = static_cast<int64_t>(number_of(*it, name(), path("ulimits." + it.key())));
        }
        out.push_back({{"Name", it.key()}, {"Soft", soft}, {"Hard", hard}});
      }
      host_["Ulimits"] = std::move(out);
    }

    if (auto* devices = get(s_, "devices")) {
      json out = json::array();
      for (const auto& d : *devices) {
        std::string host, container, perms = "rwm";
        if (d.is_string()) {
          std::string s = d.get<std::string>();
          auto c1 = s.find(':');
          host = s.substr(0, c1);
          container = host;
          if (c1 != std::string::npos) {
            auto c2 = s.find(':', c1 + 1);
            container = s.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
            if (c2 != std::string::npos) perms = s.substr(c2 + 1);
          }
        } else {
          host = d.value("source", "");
          container = d.value("target", host);
          perms = d.value("permissions", "rwm");
        }
        out.push_back({{"PathOnHost", host}, {"PathInContainer", container}, {"CgroupPermissions", perms}});
      }
      host_["Devices"] = std::move(out);
    }
    if (auto* v = get(s_, "device_cgroup_rules")) host_["DeviceCgroupRules"] = string_list(v);

    if (auto* blkio = get(s_, "blkio_config")) {
      if (auto* w = get(*blkio, "weight")) host_["BlkioWeight"] = w->get<int64_t>();
      if (auto* wd = get(*blkio, "weight_device")) {
        json out = json::array();
        for (const auto& d : *wd) out.push_back({{"Path", d.value("path", "")}, {"Weight", d.value("weight", 0)}});
        host_["BlkioWeightDevice"] = std::move(out);
      }
      auto throttle = [&](const char* key, const char* to) {
        auto* list = get(*blkio, key);
        if (!list) return;
        json out = json::array();
        for (const auto& d : *list)
          out.push_back({{"Path", d.value("path", "")},
                         {"Rate", bytes_of(d.contains("rate") ? d["rate"] : json(0), name(),
                                           path("blkio_config." + std::string(key)))}});
        host_[to] = std::move(out);
      };
      throttle("device_read_bps", "BlkioDeviceReadBps");
      throttle("device_write_bps", "BlkioDeviceWriteBps");
      throttle("device_read_iops", "BlkioDeviceReadIOps");
      throttle("device_write_iops", "BlkioDeviceWriteIOps");
    }
  }

  void device_request(const json& d) {
    json req = json::object();
    req["Driver"] = d.value("driver", "");
    if (auto* count = get(d, "count")) {
      if (count->is_string() && count->get<std::string>() == "all")
        req["Count"] = -1;
      else
        req["Count"] = static_cast<int64_t>(number_of(*count, name(), path("deploy.resources.reservations.devices.count")));
    } else if (!get(d, "device_ids")) {
      req["Count"] = -1;
    }
    if (auto* ids = get(d, "device_ids")) req["DeviceIDs"] = string_list(ids);
    req["Capabilities"] = json::array({string_list(get(d, "capabilities"))});
    if (auto* opts = get(d, "options")) req["Options"] = string_map(opts);
    host_["DeviceRequests"].push_back(std::move(req));
  }

  void security() {
    auto copy_bool = [&](const char* key, const char* to) {
      if (auto* v = get(s_, key)) host_[to] = v->get<bool>();
    };
    copy_bool("privileged", "Privileged");
    copy_bool("read_only", "ReadonlyRootfs");
    copy_bool("init", "Init");
    if (auto* v = get(s_, "cap_add")) host_["CapAdd"] = string_list(v);
    if (auto* v = get(s_, "cap_drop")) host_["CapDrop"] = string_list(v);
    if (auto* v = get(s_, "security_opt")) host_["SecurityOpt"] = string_list(v);
    if (auto* v = get(s_, "group_add")) host_["GroupAdd"] = string_list(v);
    if (auto* v = get(s_, "sysctls")) host_["Sysctls"] = string_map(v);
    if (auto* v = get(s_, "userns_mode")) host_["UsernsMode"] = scalar_text(*v);
    if (auto* v = get(s_, "uts")) host_["UTSMode"] = scalar_text(*v);
    if (auto* v = get(s_, "cgroup")) host_["CgroupnsMode"] = scalar_text(*v);
    if (auto* v = get(s_, "cgroup_parent")) host_["CgroupParent"] = scalar_text(*v);
    if (auto* v = get(s_, "isolation")) host_["Isolation"] = scalar_text(*v);
    if (auto* v = get(s_, "runtime")) host_["Runtime"] = scalar_text(*v);
    if (auto* v = get(s_, "storage_opt")) host_["StorageOpt"] = string_map(v);
    if (auto* v = get(s_, "ipc")) host_["IpcMode"] = namespace_mode(scalar_text(*v), "ipc");
    if (auto* v = get(s_, "pid")) host_["PidMode"] = namespace_mode(scalar_text(*v), "pid");
  }

  // `run`'s container: a terminal and streams as asked, never restarted.
  // It answers to the service's network aliases only with --use-aliases, as
  // in docker compose (else `web` keeps resolving to the service's own
  // containers).
  void oneoff(const plan::OneOff& o) {
    config_["Tty"] = o.tty;
    config_["OpenStdin"] = o.stdin_open && o.attached;
    config_["StdinOnce"] = o.stdin_open && o.attached;
    config_["AttachStdin"] = o.stdin_open && o.attached;
    config_["AttachStdout"] = o.attached;
    config_["AttachStderr"] = o.attached;
    if (o.auto_remove) host_["AutoRemove"] = true;
    if (o.keep_aliases) return;
    for (auto& [_, endpoint] : endpoints_.items())
      if (endpoint.is_object()) endpoint.erase("Aliases");
    for (auto& attachment : spec_.connect_after_create)
      if (attachment.endpoint->is_object()) attachment.endpoint->erase("Aliases");
  }

  // "service:db" -> "container:<db's container>"
  std::string namespace_mode(const std::string& mode, const std::string& attribute) {
    if (mode.starts_with("service:")) return "container:" + resolve(mode.substr(8), attribute);
    return mode;
  }

  std::string resolve(const std::string& other_service, const std::string& attribute) {
    if (!options_.resolve_service)
      throw Error(ErrorKind::Internal, path(attribute) + " refers to service \"" + other_service +
                                           "\" but no container resolver was given");
    return options_.resolve_service(other_service);
  }

  void networking() {
    if (auto* v = get(s_, "dns")) host_["Dns"] = string_list(v);
    if (auto* v = get(s_, "dns_opt")) host_["DnsOptions"] = string_list(v);
    if (auto* v = get(s_, "dns_search")) host_["DnsSearch"] = string_list(v);
    if (auto* hosts = get(s_, "extra_hosts")) {
      json out = json::array();
      if (hosts->is_object()) {
        for (auto it = hosts->begin(); it != hosts->end(); ++it)
          for (const auto& ip : string_list(&*it)) out.push_back(it.key() + ":" + ip);
      } else {
        for (const auto& h : string_list(hosts)) {
          // compose accepts "host=ip" as well as "host:ip"; the engine wants ':'
          auto eq = h.find('=');
          out.push_back(eq == std::string::npos ? h : h.substr(0, eq) + ":" + h.substr(eq + 1));
        }
      }
      host_["ExtraHosts"] = std::move(out);
    }
    json links = json::array();
    for (const auto& link : string_list(get(s_, "links"))) {
      auto colon = link.find(':');
      std::string target = link.substr(0, colon);
      std::string alias = colon == std::string::npos ? target : link.substr(colon + 1);
      links.push_back(resolve(target, "links") + ":" + alias);
    }
    for (const auto& link : string_list(get(s_, "external_links"))) {
      links.push_back(link.find(':') == std::string::npos ? link + ":" + link : link);
    }
    if (!links.empty()) host_["Links"] = std::move(links);

    if (service_.network_mode) {
      const std::string& mode = *service_.network_mode;
      if (mode.starts_with("service:"))
        host_["NetworkMode"] = "container:" + resolve(mode.substr(8), "network_mode");
      else
        host_["NetworkMode"] = mode;
      endpoints_ = json::object();
      return;
    }

    // The network with the highest priority is the one the container is
    // created with; ties keep the sorted order, as docker compose does.
    std::vector<const model::ServiceNetwork*> order;
    for (const auto& n : service_.networks) order.push_back(&n);
    std::stable_sort(order.begin(), order.end(),
                     [](auto* a, auto* b) { return a->priority > b->priority; });
    endpoints_ = json::object();
    bool first = true;
    for (const auto* n : order) {
      std::string engine_name = engine_resource_name(project_.networks, n->name, project_.name);
      json endpoint = json::object();
      json aliases = json::array({name()});
      for (const auto& a : n->aliases)
        if (std::find(aliases.begin(), aliases.end(), a) == aliases.end()) aliases.push_back(a);
      endpoint["Aliases"] = std::move(aliases);
      if (n->ipv4_address || n->ipv6_address) {
        json ipam = json::object();
        if (n->ipv4_address) ipam["IPv4Address"] = *n->ipv4_address;
        if (n->ipv6_address) ipam["IPv6Address"] = *n->ipv6_address;
        endpoint["IPAMConfig"] = std::move(ipam);
      }
      std::string mac = n->mac_address.value_or(first ? primary_endpoint_mac_ : "");
      if (!mac.empty()) endpoint["MacAddress"] = mac;
      if (n->gw_priority != 0) {
        if (engine::compare_api_versions(options_.api_version, "1.48") < 0)
          unsupported(name(), path("networks." + n->name + ".gw_priority"),
                      "needs engine API 1.48, this engine speaks " + options_.api_version);
        endpoint["GwPriority"] = n->gw_priority;
      }
      if (first) {
        host_["NetworkMode"] = engine_name;
        endpoints_[engine_name] = std::move(endpoint);
        first = false;
      } else if (engine::compare_api_versions(options_.api_version, "1.44") >= 0) {
        endpoints_[engine_name] = std::move(endpoint);
      } else {
        spec_.connect_after_create.push_back({engine_name, model::JsonBox(std::move(endpoint))});
      }
    }
  }

  void logging() {
    auto* log = get(s_, "logging");
    if (!log) return;
    json cfg = json::object();
    if (auto* d = get(*log, "driver")) cfg["Type"] = scalar_text(*d);
    cfg["Config"] = string_map(get(*log, "options"));
    host_["LogConfig"] = std::move(cfg);
  }

  void restart() {
    std::string policy = service_.restart;
    int64_t retries = 0;
    if (auto* deploy = get(s_, "deploy")) {
      if (auto* rp = get(*deploy, "restart_policy")) {
        // deploy.restart_policy wins when both are set, as in docker compose.
        std::string condition = rp->value("condition", "any");
        policy = condition == "none" ? "no" : condition == "on-failure" ? "on-failure" : "always";
        if (auto* m = get(*rp, "max_attempts")) retries = m->get<int64_t>();
      }
    }
    if (policy.starts_with("on-failure:")) {
      retries = std::stoll(policy.substr(11));
      policy = "on-failure";
    }
    if (policy.empty()) policy = "no";
    json rp = {{"Name", policy}};
    if (policy == "on-failure") rp["MaximumRetryCount"] = retries;
    host_["RestartPolicy"] = std::move(rp);
  }

  const model::Project& project_;
  const model::Service& service_;
  const json& s_;
  const ContainerIdentity& identity_;
  const SpecOptions& options_;
  ContainerSpec spec_;
  json config_ = json::object();
  json host_ = json::object();
  json endpoints_ = json::object();
  std::string primary_endpoint_mac_;
};

}  // namespace

ContainerSpec container_spec(const model::Project& project, const model::Service& service,
                             const ContainerIdentity& identity, const SpecOptions& options) {
  return SpecBuilder(project, service, identity, options).build();
}

}  // namespace berth::exec
