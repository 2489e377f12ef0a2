#include "berth/stack/service_spec.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "berth/model/project.h"
#include "berth/model/units.h"
#include "berth/util/whole_int64.h"
#include "berth/util/base64.h"
#include "berth/util/error.h"
#include "berth/util/sha256.h"

namespace berth::stack {

using nlohmann::json;

namespace {

// Keys of a service that a swarm service cannot have. docker stack deploy
// prints "Ignoring unsupported options"; berth names them too.
const char* const kUnsupported[] = {
    "build",         "cgroup_parent", "container_name", "cpu_count",     "cpu_percent",  "cpu_period",
    "cpu_quota",     "cpu_rt_period", "cpu_rt_runtime", "cpu_shares",    "cpus",         "cpuset",
    "device_cgroup_rules", "devices", "depends_on",     "domainname",    "external_links", "ipc",
    "links",         "mac_address",   "mem_limit",      "mem_reservation", "mem_swappiness", "memswap_limit",
    "network_mode",  "oom_kill_disable", "oom_score_adj", "pid",         "pids_limit",   "platform",
    "privileged",    "pull_policy",   "restart",        "runtime",       "security_opt", "shm_size",
    "storage_opt",   "userns_mode",   "uts",            "volumes_from",  "blkio_config", "gpus",
    "post_start",    "pre_stop",      "develop",        "attach",        "scale",        "expose",
    "annotations",   "label_file",    "models",         "provider",      "use_api_socket", "credential_spec",
    "dns_opt",       "profiles",      "stdin_open",     "tty",           "group_add",    "env_file"};

// Keys handled below, or carried by another (scale by deploy.replicas).
bool handled_elsewhere(const std::string& key) {
  // restart: the restart policy when deploy has none; pids_limit:
  // resources.limits.pids; stdin_open/tty/group_add/dns_opt: ContainerSpec.
  static const std::set<std::string> handled = {"restart", "pids_limit", "stdin_open", "tty", "group_add", "dns_opt",
                                                "env_file", "profiles", "scale"};
  return handled.count(key) > 0;
}

std::string text(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

const json* find(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::int64_t nanoseconds(const json& value, const std::string& where) {
  auto ns = value.is_number() ? whole_int64(value.get<double>() * 1e9)
                              : model::parse_duration(value.is_string() ? value.get<std::string>() : value.dump());
  if (!ns) throw Error(ErrorKind::Config, where + ": invalid duration " + value.dump());
  return *ns;
}

std::int64_t nano_cpus(const json& value, const std::string& where) {
  std::optional<std::int64_t> nano;
  if (value.is_number()) nano = whole_int64(value.get<double>() * 1e9);
  else if (value.is_string()) {
    try {
      nano = whole_int64(std::stod(value.get<std::string>()) * 1e9);
    } catch (const std::exception&) {
    }
  }
  if (!nano) throw Error(ErrorKind::Config, where + ": invalid cpus " + value.dump());
  return *nano;
}

std::int64_t bytes(const json& value, const std::string& where) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  auto b = model::parse_bytes(value.is_string() ? value.get<std::string>() : value.dump());
  if (!b) throw Error(ErrorKind::Config, where + ": invalid size " + value.dump());
  return *b;
}

json string_map(const json* object) {
  json out = json::object();
  if (!object || !object->is_object()) return out;
  for (auto it = object->begin(); it != object->end(); ++it)
    out[it.key()] = it->is_string() ? it->get<std::string>() : it->is_null() ? "" : it->dump();
  return out;
}

json string_list(const json* list) {
  json out = json::array();
  if (!list) return out;
  if (list->is_string()) out.push_back(*list);
  else if (list->is_array())
    for (const auto& item : *list) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The update_config / rollback_config of deploy as the engine's UpdateConfig.
json update_config(const json& c, const std::string& where) {
  json out = json::object();
  if (auto* v = find(c, "parallelism")) out["Parallelism"] = v->get<std::int64_t>();
  if (auto* v = find(c, "delay")) out["Delay"] = nanoseconds(*v, where + ".delay");
  if (auto* v = find(c, "failure_action")) out["FailureAction"] = v->get<std::string>();
  if (auto* v = find(c, "monitor")) out["Monitor"] = nanoseconds(*v, where + ".monitor");
  if (auto* v = find(c, "max_failure_ratio")) out["MaxFailureRatio"] = v->get<double>();
  if (auto* v = find(c, "order")) out["Order"] = v->get<std::string>();
  if (!out.contains("Parallelism")) out["Parallelism"] = 1;  // docker stack's default
  return out;
}

}  // namespace

std::string scoped_name(const std::string& stack, const std::string& name) { return stack + "_" + name; }

bool swarm_enforces_fix(const std::string& finding_id) {
  return finding_id != "no-new-privileges" && finding_id != "security-opt-missing" &&
         finding_id != "ports-all-interfaces";
}

std::vector<FileObject> file_objects(const model::Project& project, const std::string& stack, const char* kind) {
  const bool secrets = std::string(kind) == "secrets";
  const auto& resources = secrets ? project.secrets : project.configs;
  std::vector<FileObject> out;
  for (const auto& r : resources) {
    FileObject o;
    o.key = r.key;
    const json& doc = *r.json;
    const std::string where = std::string(kind) + "." + r.key;
    if (r.external) {
      o.external = true;
      o.name = r.name;
      out.push_back(std::move(o));
      continue;
    }
    if (auto* file = find(doc, "file")) {
      auto content = read_file(file->get<std::string>());
      if (!content)
        throw Error(ErrorKind::Config, where + ": cannot read its file " + file->get<std::string>());
      o.content = std::move(*content);
    } else if (auto* variable = find(doc, "environment")) {
      auto it = project.environment.find(variable->get<std::string>());
      if (it == project.environment.end())
        throw Error(ErrorKind::Config, where + ": the variable " + variable->get<std::string>() + " is not set");
      o.content = it->second;
    } else if (auto* content = find(doc, "content")) {
      o.content = content->is_string() ? content->get<std::string>() : content->dump();
    } else {
      throw Error(ErrorKind::Config, where + ": a swarm needs its file, environment or content");
    }
    // Swarm object names are at most 64 characters.
    o.name = scoped_name(stack, r.key) + "_" + sha256_hex(o.content).substr(0, 12);
    if (o.name.size() > 64)
      throw Error(ErrorKind::Config, where + ": the swarm name " + o.name + " is longer than 64 characters");
    out.push_back(std::move(o));
  }
  return out;
}

json file_object_spec(const FileObject& object, const std::string& stack) {
  return json{{"Name", object.name},
              {"Labels", {{kNamespaceLabel, stack}}},
              {"Data", base64_encode(object.content)}};
}

std::vector<NetworkObject> network_objects(const model::Project& project, const std::string& stack,
                                           const std::vector<std::string>& services) {
  std::set<std::string> used;
  for (const auto& s : project.services) {
    if (!services.empty() && std::find(services.begin(), services.end(), s.name) == services.end()) continue;
    for (const auto& n : s.networks) used.insert(n.name);
  }
  std::vector<NetworkObject> out;
  for (const auto& r : project.networks) {
    if (!used.count(r.key)) continue;
    NetworkObject n;
    n.key = r.key;
    const json& doc = *r.json;
    n.external = r.external;
    // `name:` as written, else "{stack}_{key}" (docker stack ignores the
    // project name: the stack is the namespace).
    n.name = find(doc, "name") && r.name != project.name + "_" + r.key ? r.name : scoped_name(stack, r.key);
    if (!n.external) {
      json body = {{"Driver", find(doc, "driver") ? doc["driver"].get<std::string>() : "overlay"},
                   {"Scope", "swarm"},
                   {"Labels", string_map(find(doc, "labels"))}};
      body["Labels"][kNamespaceLabel] = stack;
      if (auto* v = find(doc, "attachable")) body["Attachable"] = v->get<bool>();
      if (auto* v = find(doc, "internal")) body["Internal"] = v->get<bool>();
      if (auto* v = find(doc, "driver_opts")) body["Options"] = string_map(v);
      if (auto* ipam = find(doc, "ipam")) {
        json config = json::array();
        if (auto* list = find(*ipam, "config"))
          for (const auto& c : *list) {
            json entry = json::object();
            if (auto* v = find(c, "subnet")) entry["Subnet"] = *v;
            if (auto* v = find(c, "ip_range")) entry["IPRange"] = *v;
            if (auto* v = find(c, "gateway")) entry["Gateway"] = *v;
            config.push_back(entry);
          }
        body["IPAM"] = {{"Driver", find(*ipam, "driver") ? (*ipam)["driver"].get<std::string>() : "default"},
                        {"Config", config}};
      }
      n.create_body = model::JsonBox(std::move(body));
    }
    out.push_back(std::move(n));
  }
  return out;
}

namespace {

class SpecBuilder {
 public:
  SpecBuilder(const model::Project& project, const model::Service& service, const std::string& stack,
              const std::vector<FileObject>& secrets, const std::vector<FileObject>& configs,
              const std::vector<NetworkObject>& networks)
      : project_(project), service_(service), s_(*service.json), stack_(stack), secrets_(secrets),
        configs_(configs), networks_(networks) {}

  ServiceSpec build(const std::string& image) {
    ServiceSpec out;
    for (const char* key : kUnsupported)
      if (find(s_, key) && !handled_elsewhere(key)) out.ignored.push_back(key);
    if (auto* deploy = find(s_, "deploy"))
      if (find(*deploy, "resources") && find((*deploy)["resources"], "reservations") &&
          find((*deploy)["resources"]["reservations"], "devices"))
        out.ignored.push_back("deploy.resources.reservations.devices");

    json container = {{"Image", image}, {"Labels", string_map(find(s_, "labels"))}};
    container["Labels"][kNamespaceLabel] = stack_;
    if (auto* v = find(s_, "entrypoint")) container["Command"] = string_list(v);
    if (auto* v = find(s_, "command")) container["Args"] = string_list(v);
    container["Env"] = environment();
    if (auto* v = find(s_, "working_dir")) container["Dir"] = *v;
    if (auto* v = find(s_, "user")) container["User"] = *v;
    if (auto* v = find(s_, "hostname")) container["Hostname"] = *v;
    if (auto* v = find(s_, "group_add")) container["Groups"] = string_list(v);
    if (auto* v = find(s_, "stop_signal")) container["StopSignal"] = *v;
    if (auto* v = find(s_, "stop_grace_period")) container["StopGracePeriod"] = nanoseconds(*v, where("stop_grace_period"));
    if (auto* v = find(s_, "tty")) container["TTY"] = v->get<bool>();
    if (auto* v = find(s_, "stdin_open")) container["OpenStdin"] = v->get<bool>();
    if (auto* v = find(s_, "read_only")) container["ReadOnly"] = v->get<bool>();
    if (auto* v = find(s_, "init")) container["Init"] = v->get<bool>();
    if (auto* v = find(s_, "sysctls")) container["Sysctls"] = string_map(v);
    if (auto* v = find(s_, "cap_add")) container["CapabilityAdd"] = string_list(v);
    if (auto* v = find(s_, "cap_drop")) container["CapabilityDrop"] = string_list(v);
    if (auto* h = healthcheck()) container["Healthcheck"] = *h;
    dns(container);
    hosts(container);
    ulimits(container);
    mounts(container);
    container["Secrets"] = references("secrets", secrets_, "/run/secrets/", "SecretID", "SecretName");
    container["Configs"] = references("configs", configs_, "/", "ConfigID", "ConfigName");
    if (container["Secrets"].empty()) container.erase("Secrets");
    if (container["Configs"].empty()) container.erase("Configs");

    json task = {{"ContainerSpec", container}};
    json resources = this->resources();
    if (!resources.empty()) task["Resources"] = resources;
    task["RestartPolicy"] = restart_policy();
    if (auto p = placement(); !p.empty()) task["Placement"] = p;
    task["Networks"] = service_networks();
    if (auto* logging = find(s_, "logging")) {
      json log = json::object();
      if (auto* d = find(*logging, "driver")) log["Name"] = *d;
      if (auto* o = find(*logging, "options")) log["Options"] = string_map(o);
      if (!log.empty()) task["LogDriver"] = log;
    }

    const json* deploy = find(s_, "deploy");
    json spec = {{"Name", scoped_name(stack_, service_.name)}, {"TaskTemplate", task}};
    json labels = string_map(deploy ? find(*deploy, "labels") : nullptr);
    labels[kNamespaceLabel] = stack_;
    labels[kImageLabel] = text(s_, "image").empty() ? image : text(s_, "image");
    spec["Labels"] = labels;
    spec["Mode"] = mode(deploy);
    if (deploy)
      if (auto* c = find(*deploy, "update_config")) spec["UpdateConfig"] = update_config(*c, where("deploy.update_config"));
    if (deploy)
      if (auto* c = find(*deploy, "rollback_config"))
        spec["RollbackConfig"] = update_config(*c, where("deploy.rollback_config"));
    spec["EndpointSpec"] = endpoint(deploy);
    out.ignored.insert(out.ignored.end(), ignored_.begin(), ignored_.end());

    out.hash = sha256_hex(spec.dump());
    spec["Labels"][kSpecHashLabel] = out.hash;
    out.spec = model::JsonBox(std::move(spec));
    return out;
  }

 private:
  std::string where(const std::string& key) const { return "service \"" + service_.name + "\": " + key; }

  json environment() const {
    json env = json::array();
    if (auto* e = find(s_, "environment"))
      for (auto it = e->begin(); it != e->end(); ++it) {
        if (it->is_null()) continue;  // unset and not in the environment: left out, as compose does
        env.push_back(it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump()));
      }
    return env;
  }

  const json* healthcheck() {
    auto* h = find(s_, "healthcheck");
    if (!h) return nullptr;
    health_ = json::object();
    if (find(*h, "disable") && (*h)["disable"].get<bool>()) {
      health_["Test"] = json::array({"NONE"});
      return &health_;
    }
    if (auto* t = find(*h, "test")) health_["Test"] = string_list(t);
    if (auto* v = find(*h, "interval")) health_["Interval"] = nanoseconds(*v, where("healthcheck.interval"));
    if (auto* v = find(*h, "timeout")) health_["Timeout"] = nanoseconds(*v, where("healthcheck.timeout"));
    if (auto* v = find(*h, "start_period")) health_["StartPeriod"] = nanoseconds(*v, where("healthcheck.start_period"));
    if (auto* v = find(*h, "retries")) health_["Retries"] = v->get<std::int64_t>();
    return &health_;
  }

  void dns(json& container) const {
    json config = json::object();
    if (auto* v = find(s_, "dns")) config["Nameservers"] = string_list(v);
    if (auto* v = find(s_, "dns_search")) config["Search"] = string_list(v);
    if (auto* v = find(s_, "dns_opt")) config["Options"] = string_list(v);
    if (!config.empty()) container["DNSConfig"] = config;
  }

  // extra_hosts "host=ip" (canonical) as the service API's "ip host".
  void hosts(json& container) const {
    auto* v = find(s_, "extra_hosts");
    if (!v) return;
    json out = json::array();
    for (const auto& entry : string_list(v)) {
      std::string e = entry.get<std::string>();
      auto eq = e.find('=');
      if (eq == std::string::npos) eq = e.find(':');
      if (eq == std::string::npos) continue;
      out.push_back(e.substr(eq + 1) + " " + e.substr(0, eq));
    }
    container["Hosts"] = out;
  }

  void ulimits(json& container) const {
    auto* v = find(s_, "ulimits");
    if (!v || !v->is_object()) return;
    json out = json::array();
    for (auto it = v->begin(); it != v->end(); ++it) {
      std::int64_t soft = 0, hard = 0;
      if (it->is_number()) soft = hard = it->get<std::int64_t>();
      else {
        soft = it->value("soft", std::int64_t{0});
        hard = it->value("hard", soft);
      }
      out.push_back({{"Name", it.key()}, {"Soft", soft}, {"Hard", hard}});
    }
    container["Ulimits"] = out;
  }

  void mounts(json& container) const {
    auto* volumes = find(s_, "volumes");
    if (!volumes) return;
    json out = json::array();
    for (const auto& v : *volumes) {
      const std::string type = text(v, "type");
      json m = {{"Type", type}, {"Target", text(v, "target")}};
      if (auto* ro = find(v, "read_only"); ro && ro->get<bool>()) m["ReadOnly"] = true;
      if (type == "volume") {
        const std::string source = text(v, "source");
        if (!source.empty()) {
          const model::Resource* volume = project_.find_volume(source);
          json options = {{"Labels", {{kNamespaceLabel, stack_}}}};
          if (volume) {
            const json& doc = *volume->json;
            // `name:` as written, else "{stack}_{key}", as for networks.
            const bool named = find(doc, "name") && volume->name != project_.name + "_" + source;
            m["Source"] = volume->external || named ? volume->name : scoped_name(stack_, source);
            if (volume->external) options.erase("Labels");
            json driver = json::object();
            if (auto* d = find(doc, "driver")) driver["Name"] = *d;
            if (auto* o = find(doc, "driver_opts")) driver["Options"] = string_map(o);
            if (!driver.empty()) options["DriverConfig"] = driver;
            if (auto* l = find(doc, "labels"))
              for (auto it = l->begin(); it != l->end(); ++it) options["Labels"][it.key()] = it->get<std::string>();
          }
          if (auto* vo = find(v, "volume"); vo && find(*vo, "nocopy")) options["NoCopy"] = (*vo)["nocopy"].get<bool>();
          m["VolumeOptions"] = options;
        }
      } else if (type == "bind") {
        m["Source"] = text(v, "source");
        if (auto* b = find(v, "bind"); b && find(*b, "propagation"))
          m["BindOptions"] = {{"Propagation", (*b)["propagation"]}};
      } else if (type == "tmpfs") {
        json options = json::object();
        if (auto* t = find(v, "tmpfs")) {
          if (auto* size = find(*t, "size")) options["SizeBytes"] = bytes(*size, where("volumes.tmpfs.size"));
          if (auto* mode = find(*t, "mode")) options["Mode"] = mode->get<std::int64_t>();
        }
        if (!options.empty()) m["TmpfsOptions"] = options;
      } else {
        throw Error(ErrorKind::Config, where("volumes") + ": a swarm service cannot mount a " + type);
      }
      out.push_back(m);
    }
    if (auto* tmpfs = find(s_, "tmpfs"))
      for (const auto& t : string_list(tmpfs)) {
        std::string target = t.get<std::string>();
        target = target.substr(0, target.find(':'));
        out.push_back({{"Type", "tmpfs"}, {"Target", target}});
      }
    if (!out.empty()) container["Mounts"] = out;
  }

  json references(const char* attribute, const std::vector<FileObject>& defined, const std::string& default_dir,
                  const char* id_key, const char* name_key) const {
    json out = json::array();
    auto* refs = find(s_, attribute);
    if (!refs) return out;
    for (const auto& ref : *refs) {
      const std::string source = ref.is_string() ? ref.get<std::string>() : text(ref, "source");
      const FileObject* object = nullptr;
      for (const auto& d : defined)
        if (d.key == source) object = &d;
      if (!object)
        throw Error(ErrorKind::Config, where(attribute) + ": \"" + source + "\" is not defined at the top level");
      std::string target = ref.is_object() ? text(ref, "target") : "";
      if (target.empty()) target = default_dir + source;
      // Secrets take a file name under /run/secrets, configs an absolute path.
      if (std::string(attribute) == "secrets" && target.rfind("/run/secrets/", 0) == 0) target.erase(0, 13);
      json file = {{"Name", target},
                   {"UID", ref.is_object() && find(ref, "uid") ? text(ref, "uid") : "0"},
                   {"GID", ref.is_object() && find(ref, "gid") ? text(ref, "gid") : "0"},
                   {"Mode", ref.is_object() && find(ref, "mode") ? ref["mode"].get<std::int64_t>() : 0444}};
      // The ID is the engine's: the caller fills it in by name.
      out.push_back({{"File", file}, {id_key, ""}, {name_key, object->name}});
    }
    return out;
  }

  json resources() const {
    json out = json::object();
    const json* deploy = find(s_, "deploy");
    const json* r = deploy ? find(*deploy, "resources") : nullptr;
    for (const char* section : {"limits", "reservations"}) {
      const json* s = r ? find(*r, section) : nullptr;
      json o = json::object();
      if (s) {
        if (auto* v = find(*s, "cpus"))
          o["NanoCPUs"] = nano_cpus(*v, where(std::string("deploy.resources.") + section + ".cpus"));
        if (auto* v = find(*s, "memory")) o["MemoryBytes"] = bytes(*v, where(std::string("deploy.resources.") + section + ".memory"));
        if (auto* v = find(*s, "pids"); v && std::string(section) == "limits") o["Pids"] = v->get<std::int64_t>();
      }
      // The policy's pids_limit, where the service API has it.
      if (std::string(section) == "limits" && !o.contains("Pids"))
        if (auto* v = find(s_, "pids_limit"); v && v->get<std::int64_t>() > 0) o["Pids"] = v->get<std::int64_t>();
      if (!o.empty()) out[std::string(section) == "limits" ? "Limits" : "Reservations"] = o;
    }
    return out;
  }

  json restart_policy() const {
    const json* deploy = find(s_, "deploy");
    json out = json::object();
    if (const json* p = deploy ? find(*deploy, "restart_policy") : nullptr) {
      if (auto* v = find(*p, "condition")) out["Condition"] = *v;
      if (auto* v = find(*p, "delay")) out["Delay"] = nanoseconds(*v, where("deploy.restart_policy.delay"));
      if (auto* v = find(*p, "max_attempts")) out["MaxAttempts"] = v->get<std::int64_t>();
      if (auto* v = find(*p, "window")) out["Window"] = nanoseconds(*v, where("deploy.restart_policy.window"));
      if (!out.contains("Condition")) out["Condition"] = "any";
      return out;
    }
    // As docker stack: the service's `restart:` when deploy has no policy.
    const std::string restart = text(s_, "restart");
    if (restart == "no") out["Condition"] = "none";
    else if (restart.rfind("on-failure", 0) == 0) {
      out["Condition"] = "on-failure";
      if (auto colon = restart.find(':'); colon != std::string::npos)
        out["MaxAttempts"] = std::stoll(restart.substr(colon + 1));
    } else out["Condition"] = "any";
    return out;
  }

  json placement() const {
    const json* deploy = find(s_, "deploy");
    const json* p = deploy ? find(*deploy, "placement") : nullptr;
    json out = json::object();
    if (!p) return out;
    if (auto* v = find(*p, "constraints")) out["Constraints"] = string_list(v);
    if (auto* v = find(*p, "preferences")) {
      json prefs = json::array();
      for (const auto& pref : *v)
        if (auto* spread = find(pref, "spread")) prefs.push_back({{"Spread", {{"SpreadDescriptor", *spread}}}});
      out["Preferences"] = prefs;
    }
    if (auto* v = find(*p, "max_replicas_per_node")) out["MaxReplicas"] = v->get<std::int64_t>();
    return out;
  }

  json service_networks() const {
    json out = json::array();
    for (const auto& n : service_.networks) {
      const NetworkObject* object = nullptr;
      for (const auto& o : networks_)
        if (o.key == n.name) object = &o;
      if (!object) continue;
      json aliases = json::array({service_.name});
      for (const auto& a : n.aliases) aliases.push_back(a);
      out.push_back({{"Target", object->name}, {"Aliases", aliases}});
    }
    return out;
  }

  json mode(const json* deploy) const {
    const std::string m = deploy ? text(*deploy, "mode") : "";
    if (m == "global") return {{"Global", json::object()}};
    if (m == "global-job") return {{"GlobalJob", json::object()}};
    std::int64_t replicas = service_.scale;
    if (m == "replicated-job") {
      json job = {{"MaxConcurrent", 1}, {"TotalCompletions", replicas}};
      if (deploy && find(*deploy, "replicas")) job["MaxConcurrent"] = replicas;
      return {{"ReplicatedJob", job}};
    }
    if (!m.empty() && m != "replicated")
      throw Error(ErrorKind::Config, where("deploy.mode") + ": unknown mode \"" + m + "\"");
    return {{"Replicated", {{"Replicas", replicas}}}};
  }

  json endpoint(const json* deploy) {
    json out = {{"Mode", deploy && find(*deploy, "endpoint_mode") ? text(*deploy, "endpoint_mode") : "vip"}};
    json ports = json::array();
    for (const auto& p : service_.ports) {
      // The loopback binding the policy sets (or a host_ip written) has no
      // place in a service's ports: it is published on every interface.
      if (!p.host_ip.empty() && std::find(ignored_.begin(), ignored_.end(), "ports.host_ip") == ignored_.end())
        ignored_.push_back("ports.host_ip (" + p.host_ip + "; a swarm publishes on every interface)");
      json port = {{"Protocol", p.protocol}, {"TargetPort", p.target}, {"PublishMode", p.mode == "host" ? "host" : "ingress"}};
      if (!p.published.empty()) {
        if (p.published.find('-') != std::string::npos)
          throw Error(ErrorKind::Config, where("ports") + ": a swarm publishes one port per entry, not the range " +
                                             p.published);
        port["PublishedPort"] = std::stoi(p.published);
      }
      ports.push_back(port);
    }
    if (!ports.empty()) out["Ports"] = ports;
    return out;
  }

  const model::Project& project_;
  const model::Service& service_;
  const json& s_;
  const std::string& stack_;
  const std::vector<FileObject>& secrets_;
  const std::vector<FileObject>& configs_;
  const std::vector<NetworkObject>& networks_;
  json health_;
  std::vector<std::string> ignored_;
};

}  // namespace

ServiceSpec service_spec(const model::Project& project, const model::Service& service, const std::string& stack,
                         const std::string& image, const std::vector<FileObject>& secrets,
                         const std::vector<FileObject>& configs, const std::vector<NetworkObject>& networks) {
  if (image.empty())
    throw Error(ErrorKind::Config, "service \"" + service.name +
                                       "\": a swarm runs images from a registry; this service has only `build:` "
                                       "(set `image:`, build and push it first)");
  return SpecBuilder(project, service, stack, secrets, configs, networks).build(image);
}

}  // namespace berth::stack
