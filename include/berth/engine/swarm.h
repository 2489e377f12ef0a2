#pragma once
// The cluster half of the Engine API (swarm mode), for `berth stack`:
// swarm membership, services, tasks, nodes, secrets and configs. Specs go
// in and come out as the engine's JSON (ServiceSpec, SecretSpec...): the
// stack module builds them, and they are compared as JSON. Engine::swarm()
// returns this for engines that have it. Errors are berth::Error with the
// typed kinds of engine.h (NotFound, Conflict...).
#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "berth/engine/types.h"

namespace berth::engine {

class SwarmApi {
 public:
  virtual ~SwarmApi() = default;

  // --- membership
  virtual nlohmann::json inspect_swarm() = 0;                        // GET /swarm
  virtual std::string init_swarm(const nlohmann::json& request) = 0;  // POST /swarm/init: the node's ID
  virtual void leave_swarm(bool force) = 0;                           // POST /swarm/leave
  virtual nlohmann::json list_nodes(const Filters& filters = {}) = 0;

  // --- services and their tasks
  virtual nlohmann::json list_services(const Filters& filters = {}) = 0;  // an array of Service objects
  virtual nlohmann::json inspect_service(const std::string& id) = 0;
  // `registry_auth`: base64 X-Registry-Auth ("" for none). Returns the ID.
  virtual std::string create_service(const nlohmann::json& spec, const std::string& registry_auth = {}) = 0;
  // `version`: the Version.Index the spec was read at (the engine refuses a
  // stale one with Conflict).
  virtual void update_service(const std::string& id, std::uint64_t version, const nlohmann::json& spec,
                              const std::string& registry_auth = {}) = 0;
  virtual void remove_service(const std::string& id) = 0;
  virtual nlohmann::json list_tasks(const Filters& filters = {}) = 0;

  // --- secrets and configs (immutable but for labels)
  virtual nlohmann::json list_secrets(const Filters& filters = {}) = 0;
  virtual std::string create_secret(const nlohmann::json& spec) = 0;
  virtual void remove_secret(const std::string& id) = 0;
  virtual nlohmann::json list_configs(const Filters& filters = {}) = 0;
  virtual std::string create_config(const nlohmann::json& spec) = 0;
  virtual void remove_config(const std::string& id) = 0;
};

}  // namespace berth::engine
