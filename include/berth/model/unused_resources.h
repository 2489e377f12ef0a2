#pragma once
// What docker compose leaves out of a project unless --all-resources is
// given: the networks, volumes, secrets, configs and models none of its
// services uses (compose-go's WithoutUnnecessaryResources).
#include <nlohmann/json_fwd.hpp>

namespace berth::model {

// `doc` is the project's canonical JSON (services in long syntax); the
// resources its services do not use are erased from it.
void drop_unused_resources(nlohmann::json& doc);

}  // namespace berth::model
