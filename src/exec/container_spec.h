#pragma once
// The model of one service -> the body of the engine's create-container call
// (POST /containers/create), the way docker compose builds it: Config,
// HostConfig, NetworkingConfig, the com.docker.compose.* labels, and the
// networks to connect after creation (engines before API 1.44 accept only
// one network at create time).
//
// An attribute the engine cannot honour is an error that names it; swarm-only
// deploy settings that docker compose ignores are reported as warnings.
#include <functional>
#include <optional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "berth/model/json_box.h"
#include "berth/plan/oneoff.h"

namespace berth::model {
struct Project;
struct Service;
}  // namespace berth::model

namespace berth::exec {

struct ContainerIdentity {
  std::string name;           // engine container name
  int number = 1;             // com.docker.compose.container-number
  std::optional<plan::OneOff> oneoff;  // `run`: its attachments; also com.docker.compose.oneoff=True
  std::string config_hash;    // com.docker.compose.config-hash
  std::string image_id;       // com.docker.compose.image (may be empty)
  std::string replaces;       // com.docker.compose.replace: the container this one replaces
};

// Answers "which container runs service X" for network_mode/ipc/pid
// `service:X` and volumes_from; returns the engine's container ID or name.
using ServiceContainerResolver = std::function<std::string(const std::string& service)>;

struct NetworkAttachment {
  std::string network;     // engine network name
  model::JsonBox endpoint;  // EndpointSettings
};

struct ContainerSpec {
  std::string name;
  std::string platform;           // query parameter, "" = engine default
  model::JsonBox body;            // the create-container JSON
  std::vector<NetworkAttachment> connect_after_create;
  std::vector<std::string> warnings;
};

struct SpecOptions {
  std::string api_version = "1.41";  // negotiated with the engine
  ServiceContainerResolver resolve_service;  // required when the service refers to another
};

ContainerSpec container_spec(const model::Project& project, const model::Service& service,
                             const ContainerIdentity& identity, const SpecOptions& options);


}  // namespace berth::exec
