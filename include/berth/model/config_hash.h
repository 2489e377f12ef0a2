#pragma once
// The config hash stored in com.docker.compose.config-hash: sha256 (hex) of
// the canonical service JSON (sorted keys, compact) without the attributes
// that do not change the container itself (build, pull_policy, scale,
// deploy.replicas, depends_on, profiles). Stable across runs and key order.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "berth/model/project.h"

namespace berth::model {

std::string config_hash(const nlohmann::json& canonical_service);
std::string config_hash(const Service& service);

}  // namespace berth::model
