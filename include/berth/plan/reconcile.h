#pragma once
// Pure functions: (model, observed engine state, options) -> Plan for `up`
// (create, scale) and `run`. They call no engine; the same inputs always give
// the same plan (golden-tested). Errors (unknown service, missing external
// network, missing image, a dependency cycle, a diverged network) are
// berth::Error before anything runs.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/plan/observe.h"
#include "berth/plan/plan.h"

namespace berth::model {
struct Project;
}

namespace berth::plan {

enum class Recreate {
  Diverged,  // containers whose config hash, image or networks changed
  Force,     // --force-recreate
  Never,     // --no-recreate
};

// The options of up, create and scale: what the command line asks for, in
// the one struct the service layer fills and the planner reads.
struct ConvergeOptions {
  std::vector<std::string> services;  // empty: every enabled service
  Recreate recreate = Recreate::Diverged;
  bool always_recreate_deps = false;
  bool no_deps = false;
  bool no_start = false;              // create, up --no-start
  bool remove_orphans = false;
  bool renew_anonymous_volumes = false;  // -V
  // --all-resources: every network and volume of the model is created, not
  // only those of the selected services.
  bool all_resources = false;
  std::map<std::string, int> scale;   // --scale svc=N
  bool wait = false;                  // --wait: "running" waits for every started service
  std::optional<int> wait_timeout_seconds;  // --wait-timeout (bounds those waits when executed)
  std::optional<int> timeout_seconds;       // -t: stopping replaced containers
  // A dry run: the images step only said what it would build or pull, so an
  // image that is not there yet is part of the plan, not an error.
  bool missing_images_planned = false;
};

// up / create / scale.
Plan reconcile(const model::Project& project, const ObservedState& observed, const ConvergeOptions& options);

// `run SERVICE`: the service's networks and volumes, its dependencies (unless
// `no_deps`; never recreated, as a stand-in `up --no-recreate` of them would
// leave them) started and, as depends_on says, healthy or completed; then
// the one-off container, started in the plan only when `start` (run -d:
// attached, the caller starts it once its streams are attached). The
// model's service is the one-off's, command-line overrides applied.
struct RunPlanOptions {
  std::string service;
  std::string name;  // the one-off container's name
  OneOff oneoff;
  bool no_deps = false;
  bool remove_orphans = false;  // run --remove-orphans
  bool start = false;
  bool missing_images_planned = false;
};
Plan plan_run(const model::Project& project, const ObservedState& observed, const RunPlanOptions& options);

// The CreateContainer action of plan_run's one-off (its index in the plan).
size_t oneoff_action(const Plan& plan);

}  // namespace berth::plan
