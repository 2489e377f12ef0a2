#pragma once
// A compose project as swarm objects for `berth stack deploy`, the way
// `docker stack deploy` names and labels them (so `docker stack` sees a
// berth stack and the other way round): services "{stack}_{service}",
// networks "{stack}_{key}" (overlay), volumes "{stack}_{key}", every object
// labelled com.docker.stack.namespace. Secrets and configs are versioned by
// content, "{stack}_{key}_{hash}": swarm keeps them immutable, so a changed
// file is a new object the service rolls onto. Pure: no engine.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "berth/model/json_box.h"

namespace berth::model {
struct Project;
struct Service;
struct Resource;
}  // namespace berth::model

namespace berth::stack {

inline constexpr const char* kNamespaceLabel = "com.docker.stack.namespace";
inline constexpr const char* kImageLabel = "com.docker.stack.image";
// sha256 of the ServiceSpec berth sent (itself without this label): a
// redeploy leaves a service whose desired spec has the same hash alone.
inline constexpr const char* kSpecHashLabel = "dev.berth.spec-hash";

// A secret's or config's content and its swarm name.
struct FileObject {
  std::string key;      // in the compose file
  std::string name;     // in the swarm: "{stack}_{key}_{first 12 hex of sha256(content)}", or the external name
  bool external = false;
  std::string content;  // empty for external ones
};

// Reads the project's secrets and configs (`file`, `environment`, a
// config's `content`), names them. Throws berth::Error (Config) naming one
// whose file is missing or whose variable is unset.
std::vector<FileObject> file_objects(const model::Project& project, const std::string& stack, const char* kind);

// The engine's Spec for an object: Name, Labels (namespace), Data (base64).
nlohmann::json file_object_spec(const FileObject& object, const std::string& stack);

// The overlay networks the stack's services use: key -> create body
// (Driver overlay unless set, Attachable, Internal, Options, Labels,
// IPAM), with its swarm name. External networks are named, not created.
struct NetworkObject {
  std::string key;
  std::string name;
  bool external = false;
  model::JsonBox create_body;
};
std::vector<NetworkObject> network_objects(const model::Project& project, const std::string& stack,
                                           const std::vector<std::string>& services);

struct ServiceSpec {
  model::JsonBox spec;                 // the engine's ServiceSpec, with the spec-hash label
  std::string hash;
  std::vector<std::string> ignored;    // keys a swarm cannot honour, "privileged", "build"...
};

// The ServiceSpec of `service`. `image` is what the service runs (pinned
// to a digest when the caller resolved one). Throws berth::Error (Config)
// for what cannot be deployed at all (no image, a secret not defined).
ServiceSpec service_spec(const model::Project& project, const model::Service& service, const std::string& stack,
                         const std::string& image, const std::vector<FileObject>& secrets,
                         const std::vector<FileObject>& configs, const std::vector<NetworkObject>& networks);

// "{stack}_{name}"
std::string scoped_name(const std::string& stack, const std::string& name);

// Whether the security policy's fix for an audit finding (by its id) is
// something a swarm service carries: no-new-privileges (security_opt) and a
// port's loopback binding (host_ip) are not in a ServiceSpec.
bool swarm_enforces_fix(const std::string& finding_id);

}  // namespace berth::stack
