#pragma once
// Pure functions: (model, observed engine state, options) -> Plan for the
// lifecycle commands other than up and run. They call no engine; the same
// inputs always give the same plan (golden-tested). The model may have no
// services (a command run with -p and no compose file): the plans then work
// from the containers' labels.
#include <optional>
#include <string>
#include <vector>

#include "berth/plan/observe.h"
#include "berth/plan/plan.h"

namespace berth::model {
struct Project;
}

namespace berth::plan {

struct DownPlanOptions {
  bool volumes = false;  // -v: the project's named and anonymous volumes, never external ones
  std::string rmi;       // "", "local", "all"
  bool remove_orphans = false;
  std::optional<int> timeout_seconds;
};
// Works from the observed labels; the model (may have no services) only
// decides which containers are orphans and which images are "local".
Plan plan_down(const model::Project& project, const ObservedState& observed, const DownPlanOptions& options);

// Lifecycle plans over the services' existing containers (empty: all).
// `wait` (start --wait): then until every selected service's containers run
// (healthy, with a healthcheck; completed, for one another service awaits so).
Plan plan_start(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services,
                bool wait = false);
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
  bool stop = false;     // -s: stop running containers first (else they are left alone)
  bool volumes = false;  // -v: their anonymous volumes too
};
Plan plan_remove(const model::Project& project, const ObservedState& observed,
                 const std::vector<std::string>& services, const RemovePlanOptions& options);

// One action on one container the plan does not otherwise touch (`run`'s
// one-off once its streams are attached: start it, signal it, remove it
// with its anonymous volumes).
Plan plan_container(ActionKind kind, const ContainerRef& container, const std::string& signal = {});

}  // namespace berth::plan
