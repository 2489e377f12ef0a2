#pragma once
// Pure functions: (model, observed engine state, options) -> Plan. They call
// no engine; the same inputs always give the same plan (golden-tested).
// Errors (unknown service, missing external network, missing image, a
// dependency cycle, a diverged network) are berth::Error before anything runs.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/plan/observe.h"
#include "berth/plan/plan.h"

namespace berth::model {
struct Project;
struct Resource;
}

namespace berth::plan {

enum class Recreate { Diverged, Force, Never };

struct ConvergeOptions {
  std::vector<std::string> services;  // empty: every enabled service
  Recreate recreate = Recreate::Diverged;
  bool always_recreate_deps = false;
  bool no_deps = false;
  bool no_start = false;
  bool remove_orphans = false;
  bool renew_anonymous_volumes = false;
  std::map<std::string, int> scale;
  bool wait = false;  // add "running" waits for every started service (up --wait)
  std::optional<int> timeout_seconds;
  // A dry run: the images step only said what it would build or pull, so an
  // image that is not there yet is part of the plan, not an error.
  bool missing_images_planned = false;
};

// The com.docker.compose.config-hash label berth gives the networks it
// creates: sha256 of the network's canonical JSON. A network whose label
// differs is recreated by `up` (one without the label is compared on driver
// and internal only).
std::string network_config_hash(const model::Resource& network);

// up / create / scale.
Plan reconcile(const model::Project& project, const ObservedState& observed, const ConvergeOptions& options);

struct DownPlanOptions {
  bool volumes = false;
  std::string rmi;  // "", "local", "all"
  bool remove_orphans = false;
  std::optional<int> timeout_seconds;
};
// Works from the observed labels; the model (may have no services) only
// decides which containers are orphans and which images are "local".
Plan plan_down(const model::Project& project, const ObservedState& observed, const DownPlanOptions& options);

// Lifecycle plans over the services' existing containers (empty: all).
Plan plan_start(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services);
Plan plan_stop(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services,
               std::optional<int> timeout_seconds);
// Named services also restart their dependents that declare
// `depends_on: {<service>: {restart: true}}`, unless `no_deps`.
Plan plan_restart(const model::Project& project, const ObservedState& observed,
                  const std::vector<std::string>& services, std::optional<int> timeout_seconds, bool no_deps);
// The running containers of the services, one-off (`run`) containers
// included, as docker compose v2 kills them. `remove_orphans` (with no
// services named): also those of services the model no longer has (docker
// compose's `kill --remove-orphans` kills them; it removes nothing).
Plan plan_kill(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services,
               const std::string& signal, bool remove_orphans);
Plan plan_pause(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services);
Plan plan_unpause(const model::Project& project, const ObservedState& observed,
                  const std::vector<std::string>& services);
struct RemovePlanOptions {
  bool stop = false;
  bool volumes = false;
};
Plan plan_remove(const model::Project& project, const ObservedState& observed,
                 const std::vector<std::string>& services, const RemovePlanOptions& options);

}  // namespace berth::plan
