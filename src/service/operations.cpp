#include "operations.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include "berth/engine/cancel_token.h"
#include "berth/engine/engine.h"
#include "berth/model/project.h"
#include "berth/plan/observe.h"
#include "berth/plan/plan.h"
#include "berth/service/lifecycle.h"
#include "berth/ui/progress.h"
#include "berth/util/error.h"
#include "project_lock.h"
#include "session.h"

namespace berth::service {
namespace {

// Calls progress.finish() however the operation ends.
struct FinishGuard {
  ui::ProgressSink& progress;
  ~FinishGuard() { progress.finish(); }
};

void print_plan(const plan::Plan& plan, const RunContext& ctx) {
  std::istringstream lines(plan::describe(plan));
  for (std::string line; std::getline(lines, line);) ctx.progress.message("DRY-RUN " + line);
}

exec::ExecuteResult execute_plan(const plan::Plan& plan, const model::Project& project, const RunContext& ctx,
                                 std::optional<int> wait_timeout_seconds = {}) {
  if (ctx.dry_run) {
    print_plan(plan, ctx);
    return {};
  }
  for (const auto& w : plan.warnings) ctx.progress.message("WARN " + w);
  exec::ExecuteOptions options;
  options.parallelism = ctx.parallelism;
  options.interrupted = ctx.interrupted;
  if (wait_timeout_seconds) options.wait_timeout = std::chrono::seconds(*wait_timeout_seconds);
  return exec::execute(plan, project, ctx.engine, ctx.progress, options);
}

// Whether a plan changes the project (waits do not; nor does run's own
// one-off container, which nothing else plans).
bool changes_project(const plan::Plan& plan) {
  auto oneoff = [&](const plan::Action& a) {
    return a.oneoff || (a.container.created_by && plan.actions[*a.container.created_by].oneoff);
  };
  return std::any_of(plan.actions.begin(), plan.actions.end(), [&](const plan::Action& a) {
    return a.kind != plan::ActionKind::WaitContainers && !oneoff(a);
  });
}

// A local image the project's lock container can be made from: a service's
// (the images step made sure they exist), else one its containers use.
std::string lock_image(const model::Project& project, const plan::ObservedState& observed) {
  for (const auto& service : project.services)
    if (auto id = observed.image_id(service.image_name(project.name)); !id.empty()) return id;
  for (const auto& c : observed.containers)
    if (!c.image_id.empty()) return c.image_id;
  return {};
}

template <class MakePlan>
void lifecycle(const model::Project& project, const RunContext& ctx, MakePlan&& make,
               std::optional<int> wait_timeout_seconds = {}) {
  FinishGuard guard{ctx.progress};
  auto observed = plan::observe(ctx.engine, project.name);
  execute_plan(make(observed), project, ctx, wait_timeout_seconds);
}

// Observes, plans and runs, under the project lock when the plan changes
// the project; once more from a fresh look when a run that does not take
// berth's lock (docker compose, a run that had no image to lock with) got
// there first with a 409 that was not simply the same container.
template <class MakePlan>
exec::ExecuteResult converge_locked(const model::Project& project, const RunContext& ctx,
                                    std::optional<int> wait_timeout_seconds, MakePlan&& make) {
  FinishGuard guard{ctx.progress};
  auto attempt = [&] {
    auto observed = plan::observe(ctx.engine, project);
    auto plan = make(observed);
    // Nothing to change (the common no-op `up`) needs no lock.
    if (ctx.dry_run || !changes_project(plan)) return execute_plan(plan, project, ctx, wait_timeout_seconds);
    ProjectLockOptions lock_options;
    lock_options.interrupted = ctx.interrupted;
    lock_options.waiting = [&](const std::string& message) { ctx.progress.message(message); };
    ProjectLock lock(ctx.engine, project.name, lock_image(project, observed), lock_options);
    if (lock.held()) {
      // Another run may have converged (part of) the project between the
      // first look and the lock: plan from what is there now.
      observed = plan::observe(ctx.engine, project);
      plan = make(observed);
    }
    return execute_plan(plan, project, ctx, wait_timeout_seconds);
  };
  try {
    return attempt();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Conflict || ctx.dry_run) throw;
    return attempt();
  }
}

}  // namespace

void converge(const model::Project& project, const plan::ConvergeOptions& options, const RunContext& ctx) {
  plan::ConvergeOptions planned = options;
  planned.missing_images_planned = ctx.dry_run;
  converge_locked(project, ctx, options.wait_timeout_seconds,
                  [&](const plan::ObservedState& observed) { return plan::reconcile(project, observed, planned); });
}

std::string converge_oneoff(const model::Project& project, const plan::RunPlanOptions& options,
                            const RunContext& ctx) {
  plan::RunPlanOptions planned = options;
  planned.missing_images_planned = ctx.dry_run;
  std::optional<size_t> oneoff;
  auto result = converge_locked(project, ctx, std::nullopt, [&](const plan::ObservedState& observed) {
    auto plan = plan::plan_run(project, observed, planned);
    oneoff = plan::oneoff_action(plan);
    return plan;
  });
  return ctx.dry_run ? std::string() : result.created.at(*oneoff);
}

exec::ExecuteResult run_plan(const plan::Plan& plan, const model::Project& project, const RunContext& ctx) {
  return execute_plan(plan, project, ctx);
}

void down(const model::Project& project, const plan::DownPlanOptions& o, const RunContext& ctx) {
  if (!o.rmi.empty() && o.rmi != "local" && o.rmi != "all")
    throw Error(ErrorKind::Usage, "--rmi must be \"local\" or \"all\", not \"" + o.rmi + "\"");
  // A lock a killed `up` left behind would keep its image in use (--rmi).
  if (!ctx.dry_run) remove_stale_project_lock(ctx.engine, project.name);
  lifecycle(project, ctx, [&](const plan::ObservedState& s) { return plan::plan_down(project, s, o); });
}

void start(const model::Project& project, const StartOptions& options, const RunContext& ctx) {
  lifecycle(
      project, ctx, [&](const plan::ObservedState& s) { return plan::plan_start(project, s, options.services, options.wait); },
      options.wait_timeout_seconds);
}

void stop(const model::Project& project, const std::vector<std::string>& services, std::optional<int> timeout_seconds,
          const RunContext& ctx) {
  lifecycle(project, ctx,
            [&](const plan::ObservedState& s) { return plan::plan_stop(project, s, services, timeout_seconds); });
}

void restart(const model::Project& project, const std::vector<std::string>& services,
             std::optional<int> timeout_seconds, bool no_deps, const RunContext& ctx) {
  lifecycle(project, ctx, [&](const plan::ObservedState& s) {
    return plan::plan_restart(project, s, services, timeout_seconds, no_deps);
  });
}

void kill(const model::Project& project, const std::vector<std::string>& services, const std::string& signal,
          bool remove_orphans, const RunContext& ctx) {
  lifecycle(project, ctx, [&](const plan::ObservedState& s) {
    auto plan = plan::plan_kill(project, s, services, signal, remove_orphans);
    if (plan.empty()) ctx.progress.message("no container to kill");  // as docker compose says
    return plan;
  });
}

void pause(const model::Project& project, const std::vector<std::string>& services, const RunContext& ctx) {
  lifecycle(project, ctx, [&](const plan::ObservedState& s) { return plan::plan_pause(project, s, services); });
}

void unpause(const model::Project& project, const std::vector<std::string>& services, const RunContext& ctx) {
  lifecycle(project, ctx, [&](const plan::ObservedState& s) { return plan::plan_unpause(project, s, services); });
}

void remove(const model::Project& project, const std::vector<std::string>& services,
            const plan::RemovePlanOptions& options, const RunContext& ctx) {
  lifecycle(project, ctx,
            [&](const plan::ObservedState& s) { return plan::plan_remove(project, s, services, options); });
}

int wait(const model::Project& project, const std::vector<std::string>& services, bool down_project,
         const RunContext& ctx) {
  auto observed = plan::observe(ctx.engine, project.name);
  std::vector<plan::ObservedContainer> targets;
  for (const auto& c : observed.containers) {
    if (c.oneoff || c.temporary()) continue;
    bool wanted = services.empty();
    for (const auto& s : services) wanted = wanted || s == c.service;
    if (wanted) targets.push_back(c);
  }
  if (targets.empty()) throw Error(ErrorKind::NotFound, "no containers to wait for in project " + project.name);
  if (ctx.dry_run) {
    for (const auto& c : targets) ctx.progress.message("DRY-RUN wait for container " + c.name);
    return 0;
  }

  engine::CancelToken cancel;
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<int> first_exit;
  std::optional<Error> failure;
  size_t finished = 0;
  std::vector<std::thread> threads;
  for (const auto& c : targets) {
    threads.emplace_back([&, id = c.id] {
      std::optional<int> code;
      std::optional<Error> error;
      try {
        code = ctx.engine.wait_container(id, "not-running", &cancel).status_code;
      } catch (const Error& e) {
        if (!cancel.cancelled()) error = e;
      }
      std::lock_guard lock(mutex);
      ++finished;
      if (code && !first_exit) first_exit = code;
      if (error && !failure) failure = error;
      changed.notify_all();
    });
  }
  {
    std::unique_lock lock(mutex);
    while (!first_exit && !failure && finished < threads.size()) {
      if (ctx.interrupted && ctx.interrupted()) break;
      changed.wait_for(lock, std::chrono::milliseconds(100));
    }
  }
  cancel.cancel();
  for (auto& t : threads) t.join();
  if (failure) throw *failure;
  if (!first_exit) throw Error(ErrorKind::Interrupted, "interrupted while waiting");
  if (down_project) down(project, {}, ctx);
  return *first_exit;
}

}  // namespace berth::service
