#pragma once
// The lifecycle operations behind the commands: each observes the engine,
// plans (plan::reconcile, plan_run or a lifecycle plan), and runs the plan
// with the executor. They take a RunContext (so unit tests run them against
// a fake engine) and throw berth::Error summarizing every failure.
//
// With ctx.dry_run each prints the plan (one line per action, through
// ctx.progress.message) and calls nothing that changes state. Warnings
// (orphans, ...) go to ctx.progress.message as "WARN ..." lines.
// Internal to service.
#include <optional>
#include <string>
#include <vector>

#include "berth/exec/executor.h"
#include "berth/plan/lifecycle.h"
#include "berth/plan/reconcile.h"

namespace berth::model {
struct Project;
}

namespace berth::service {

struct RunContext;
struct StartOptions;

// up / create / scale: converges under the project lock when the plan
// changes anything, and looks again once when a concurrent run that does not
// take the lock (docker compose) made something first.
void converge(const model::Project& project, const plan::ConvergeOptions& options, const RunContext& ctx);

// run's dependencies and one-off container, converged like `up`. Returns the
// one-off's container ID ("" in a dry run).
std::string converge_oneoff(const model::Project& project, const plan::RunPlanOptions& options,
                            const RunContext& ctx);

// `project` may describe a project whose files are gone: down works from the
// engine's labels alone, using the model only for what it adds.
void down(const model::Project& project, const plan::DownPlanOptions& options, const RunContext& ctx);
void start(const model::Project& project, const StartOptions& options, const RunContext& ctx);
void stop(const model::Project& project, const std::vector<std::string>& services,
          std::optional<int> timeout_seconds, const RunContext& ctx);
// Named services also restart their dependents with depends_on.restart: true, unless no_deps.
void restart(const model::Project& project, const std::vector<std::string>& services,
             std::optional<int> timeout_seconds, bool no_deps, const RunContext& ctx);
void kill(const model::Project& project, const std::vector<std::string>& services, const std::string& signal,
          bool remove_orphans, const RunContext& ctx);
void pause(const model::Project& project, const std::vector<std::string>& services, const RunContext& ctx);
void unpause(const model::Project& project, const std::vector<std::string>& services, const RunContext& ctx);
void remove(const model::Project& project, const std::vector<std::string>& services,
            const plan::RemovePlanOptions& options, const RunContext& ctx);

// Blocks until the first of the services' containers (every service's when
// none are named) stops; returns its exit code. `down_project`: then `down`.
int wait(const model::Project& project, const std::vector<std::string>& services, bool down_project,
         const RunContext& ctx);

// Runs a plan the caller made (run's follow-up steps on its one-off).
exec::ExecuteResult run_plan(const plan::Plan& plan, const model::Project& project, const RunContext& ctx);

}  // namespace berth::service
