#pragma once
// Recreating a container keeps its anonymous volumes (unless `up -V`): the
// new create body mounts the volumes the old container had where the new
// one would otherwise get fresh anonymous volumes, as docker compose does.
#include <nlohmann/json_fwd.hpp>

namespace berth::exec {

// `body`: the create-container JSON of the new container (changed in place);
// `old_container`: the engine's inspect of the replaced one.
void carry_anonymous_volumes(nlohmann::json& body, const nlohmann::json& old_container);

}  // namespace berth::exec
