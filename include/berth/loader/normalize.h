#pragma once
// Defaults compose adds after the canonical form: the implicit `default`
// network (only when a service attaches to no network and has no
// network_mode) and services attached to it, engine names of networks and
// volumes ("{project}_{key}" unless `name:` or external), implicit
// dependencies from links, volumes_from, network_mode/ipc/pid "service:x",
// pull_policy and scale defaults.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace berth::loader {

struct NormalizeContext {
  std::string project_name;
};

void normalize(nlohmann::json& project, const NormalizeContext& ctx);

}  // namespace berth::loader
