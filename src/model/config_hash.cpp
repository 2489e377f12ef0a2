#include "berth/model/config_hash.h"

#include <nlohmann/json.hpp>

#include "berth/model/project.h"
#include "berth/util/sha256.h"

namespace berth::model {

std::string config_hash(const nlohmann::json& canonical_service) {
  nlohmann::json hashed = canonical_service;
  if (hashed.is_object()) {
    // Attributes that say how to obtain or schedule the container, or how
    // `watch` feeds it, not what it is.
    for (const char* key : {"build", "pull_policy", "scale", "depends_on", "profiles", "develop"}) hashed.erase(key);
    if (auto deploy = hashed.find("deploy"); deploy != hashed.end() && deploy->is_object()) {
      deploy->erase("replicas");
      if (deploy->empty()) hashed.erase("deploy");
    }
  }
  // nlohmann::json objects iterate in key order, so dump() is canonical.
  return sha256_hex(hashed.dump());
}

std::string config_hash(const Service& service) { return config_hash(*service.json); }

std::string network_config_hash(const Resource& network) { return sha256_hex(network.json->dump()); }

}  // namespace berth::model
