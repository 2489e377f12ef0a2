#pragma once
// Settings in a service that give a container power over the host. The
// policy refuses them (unless allowed) and the audit reports them, so both
// read them from here.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace berth::model {
struct Project;
}

namespace berth::policy {

struct Hazard {
  std::string allow;    // the x-berth allow entry for it, e.g. "privileged"
  std::string where;    // JSON pointer below the service, e.g. "/volumes/0"
  std::string message;  // e.g. "privileged: true", "binds the Docker socket /var/run/docker.sock"
};

// In the order they appear in the service's canonical JSON. A named volume
// of `project` whose local driver binds a host directory (driver_opts
// {type: none, o: bind, device: /path}) counts as a bind of that directory.
std::vector<Hazard> hazards(const model::Project& project, const nlohmann::json& service);

// True for "seccomp:unconfined", "seccomp=unconfined", and the same for apparmor.
bool is_unconfined(const std::string& security_opt, const std::string& module);

}  // namespace berth::policy
