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

// The com.docker.compose.config-hash label berth gives the networks it
// creates: sha256 of the network's canonical JSON. `up` recreates a network
// whose label differs (one without the label is compared on driver and
// internal only).
std::string network_config_hash(const Resource& network);

}  // namespace berth::model
