#pragma once
// Defaults compose adds after the canonical form: the implicit `default`
// network (only when a service attaches to no network and has no
// network_mode) and services attached to it, engine names of networks and
// volumes ("{project}_{key}" unless `name:` or external), implicit
// dependencies from links, volumes_from, network_mode/ipc/pid "service:x",
// pull_policy and scale defaults.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "canonical.h"

namespace berth::loader {

class Diagnostics;

struct NormalizeContext {
  std::string project_name;
};

void normalize(nlohmann::json& project, const NormalizeContext& ctx);

// compose-go's one migration of a deprecated form (its canonical transform,
// run whatever --no-normalize says): `external: {name: x}` on a network,
// volume, secret or config becomes `name: x` and `external: true`, with
// compose's warning "networks.n: external.name is deprecated. Please set name
// and external: true". A `name:` next to it that differs is an error
// ("name and external.name conflict; only use name"). (log_driver, log_opt,
// dockerfile and net are not in the compose schema: compose refuses them,
// and so does berth, naming their replacement.)
void relocate_external_names(nlohmann::json& project, Diagnostics& diagnostics,
                             const MarkLookup& mark);

}  // namespace berth::loader
