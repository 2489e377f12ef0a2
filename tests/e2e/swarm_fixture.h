#pragma once
// A single-node swarm for the `berth stack` tests: initialised on loopback
// (POST /swarm/init) when the engine is not in one, and left afterwards,
// with the docker_gwbridge network the init made; an engine already in a
// swarm is left as it was. ctest runs these tests alone (RUN_SERIAL): a
// swarm changes the engine's networks under the container tests.
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "berth/engine/docker_engine.h"
#include "berth/engine/swarm.h"
#include "berth/util/error.h"
#include "e2e_support.h"

namespace berth::e2e {

class SingleNodeSwarm {
 public:
  SingleNodeSwarm() : engine_(engine::DockerEngine::from_environment()) {
    const auto state = engine_->info().value("Swarm", nlohmann::json::object()).value("LocalNodeState", "");
    was_active_ = state == "active";
    if (was_active_) return;
    had_gwbridge_ = network_exists("docker_gwbridge");
    // A fresh address pool each time: an overlay network an earlier swarm
    // left behind in the engine would make the same subnets "overlap".
    const std::string pool = "10." + std::to_string(100 + (::getpid() + ++inits()) % 150) + ".0.0/16";
    engine_->swarm()->init_swarm({{"ListenAddr", "127.0.0.1:2377"},
                                  {"AdvertiseAddr", "127.0.0.1:2377"},
                                  {"DefaultAddrPool", {pool}},
                                  {"SubnetSize", 24}});
  }
  ~SingleNodeSwarm() {
    if (was_active_) return;
    try {
      engine_->swarm()->leave_swarm(true);
      // The ingress sandbox leaves the bridge a moment after the swarm.
      for (int attempt = 0; !had_gwbridge_ && attempt < 50; ++attempt) {
        try {
          engine_->remove_network("docker_gwbridge");
          break;
        } catch (const Error& e) {
          if (e.kind() == ErrorKind::NotFound) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
    } catch (...) {
    }
  }
  SingleNodeSwarm(const SingleNodeSwarm&) = delete;
  SingleNodeSwarm& operator=(const SingleNodeSwarm&) = delete;

  engine::DockerEngine& engine() { return *engine_; }
  engine::SwarmApi& swarm() { return *engine_->swarm(); }
  bool was_active() const { return was_active_; }

  // The service's Version.Index (0 when it does not exist).
  std::uint64_t version_of(const std::string& service) {
    for (const auto& s : swarm().list_services({{"name", {service}}}))
      if (s["Spec"].value("Name", "") == service) return s["Version"].value("Index", std::uint64_t{0});
    return 0;
  }

 private:
  static int& inits() {
    static int count = 0;
    return count;
  }
  bool network_exists(const std::string& name) {
    for (const auto& n : engine_->list_networks({{"name", {name}}}))
      if (n.name == name) return true;
    return false;
  }
  std::unique_ptr<engine::DockerEngine> engine_;
  bool was_active_ = false;
  bool had_gwbridge_ = true;
};

}  // namespace berth::e2e
