#include "berth/service/version.h"

#include <chrono>

#include "berth/engine/docker_engine.h"

namespace berth::service {

EngineVersion engine_version() {
  engine::TransportTimeouts timeouts;
  timeouts.connect = std::chrono::milliseconds(800);
  // Podman gathers host facts for /version: seconds on a busy machine.
  timeouts.request = std::chrono::seconds(10);
  auto docker = engine::DockerEngine::from_environment(timeouts);
  auto api_version = docker->api_version();
  auto info = docker->version();
  return {info.version, api_version, info.os, info.arch};
}

}  // namespace berth::service
