#pragma once
// The loaded project: what every command after the loader works on.
//
// The canonical JSON of each service (and network, volume, ...) is the source
// of truth: it is exactly what `berth config --format json` prints, so nothing
// is ever dropped and output -> load -> output is the identity. The typed
// fields beside it are read from that JSON by `bind()` for the planner's
// convenience; whoever edits `json` (e.g. the security policy) calls `bind()`
// again so both agree.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "berth/model/json_box.h"
#include "berth/util/error.h"

namespace berth::model {

struct Dependency {
  std::string service;
  std::string condition = "service_started";  // service_healthy, service_completed_successfully
  bool required = true;
  bool restart = false;
};

struct ServiceNetwork {
  std::string name;  // key in the project's networks
  std::vector<std::string> aliases;
  std::optional<std::string> ipv4_address;
  std::optional<std::string> ipv6_address;
  std::optional<std::string> mac_address;
  int priority = 0;
  int gw_priority = 0;
};

struct ServicePort {
  int target = 0;
  std::string published;  // "" = engine picks; may be a range "8080-8081"
  std::string host_ip;    // "" = all interfaces
  std::string protocol = "tcp";
  std::string mode = "ingress";
  std::optional<std::string> name;
  std::optional<std::string> app_protocol;
};

struct ServiceVolume {
  std::string type;  // bind, volume, tmpfs, npipe, cluster, image
  std::string source;  // absolute path for bind, volume key for volume, "" for anonymous/tmpfs
  std::string target;
  bool read_only = false;
};

struct Service {
  std::string name;
  JsonBox json;  // canonical form of services.<name>

  // Read from `json` by bind().
  std::optional<std::string> image;
  bool has_build = false;
  std::optional<std::string> container_name;
  std::vector<std::string> profiles;
  std::vector<Dependency> depends_on;  // sorted by service name
  std::vector<ServiceNetwork> networks;  // sorted by network name; empty with network_mode
  std::optional<std::string> network_mode;
  std::vector<ServiceVolume> volumes;
  std::vector<ServicePort> ports;
  int scale = 1;  // deploy.replicas, else scale, else 1
  std::string restart;  // "" = not set ("no")
  std::string pull_policy;  // "" = not set (missing)
  bool has_healthcheck = false;  // present and not disabled
  std::optional<std::string> stop_signal;
  std::optional<int64_t> stop_grace_period_ns;

  // Re-reads the typed fields from `json`.
  void bind();
  // Re-reads `ports` alone (after the policy set their host_ip).
  void bind_ports();
  // The image the engine runs: `image`, else "{project}-{service}" for build-only services.
  std::string image_name(const std::string& project_name) const;
};

// Networks, volumes, secrets, configs and models: a name and their canonical JSON.
struct Resource {
  std::string key;   // the key in the compose file
  std::string name;  // the engine name: `name:`, else "{project}_{key}" (secrets/configs: key)
  bool external = false;
  JsonBox json;

  void bind(const std::string& project_name);
};

struct Project {
  std::string name;
  std::string working_dir;                    // absolute project directory
  std::vector<std::string> config_files;      // absolute, in load order
  std::map<std::string, std::string> environment;  // the interpolation environment
  std::vector<std::string> profiles;          // active profiles
  std::vector<Service> services;              // enabled, sorted by name
  std::vector<Service> disabled_services;     // disabled by profiles, sorted by name
  std::vector<Resource> networks;             // sorted by key
  std::vector<Resource> volumes;
  std::vector<Resource> secrets;
  std::vector<Resource> configs;
  std::vector<Resource> models;
  JsonBox extensions;                         // top-level x-* keys (an object)
  // Where the value at a JSON pointer of the canonical document
  // ("/services/web/ports/0") was written; an unknown mark when nobody knows
  // (e.g. values added by normalization fall back to their parent's mark).
  std::function<SourceMark(const std::string& json_pointer)> source_mark;

  const Service* find_service(const std::string& name) const;
  Service* find_service(const std::string& name);
  // `names` and every enabled service they depend on, transitively.
  std::set<std::string> with_dependencies(const std::vector<std::string>& names) const;
  const Resource* find_network(const std::string& key) const;
  const Resource* find_volume(const std::string& key) const;

  // The whole project in canonical form, as `berth config --format json` prints it.
  nlohmann::json to_json() const&;
  // The same, moving the services' and resources' documents out instead of
  // copying them (the project keeps its typed fields, not its JSON).
  nlohmann::json to_json() &&;
  // Builds the model from a canonical project document (after the loader's
  // JSON stages): fills typed fields, sorts services, splits out x-* keys.
  // Services listed in `disabled` go to disabled_services.
  static Project from_json(const nlohmann::json& doc, const nlohmann::json& disabled);
  // The same, taking the documents apart instead of copying them.
  static Project from_json(nlohmann::json&& doc, nlohmann::json&& disabled);
};

}  // namespace berth::model
