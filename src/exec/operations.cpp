#include "berth/exec/operations.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include "berth/engine/cancel_token.h"
#include "berth/engine/engine.h"
#include "berth/exec/executor.h"
#include "berth/exec/project_lock.h"
#include "berth/model/project.h"
#include "berth/plan/observe.h"
#include "berth/plan/plan.h"
#include "berth/plan/reconcile.h"
#include "berth/ui/progress.h"
#include "berth/util/error.h"

namespace berth::exec {
namespace {

plan::ConvergeOptions converge_options(const UpOptions& up) {
  plan::ConvergeOptions o;
  o.services = up.services;
  o.recreate = up.recreate == RecreatePolicy::Force   ? plan::Recreate::Force
               : up.recreate == RecreatePolicy::Never ? plan::Recreate::Never
                                                      : plan::Recreate::Diverged;
  o.always_recreate_deps = up.always_recreate_deps;
  o.no_deps = up.no_deps;
  o.no_start = up.no_start;
  o.remove_orphans = up.remove_orphans;
  o.renew_anonymous_volumes = up.renew_anon_volumes;
  o.scale = up.scale;
  o.wait = up.wait;
  o.timeout_seconds = up.timeout_seconds;
  return o;
}

// Calls progress.finish() however the operation ends.
struct FinishGuard {
  ui::ProgressSink& progress;
  ~FinishGuard() { progress.finish(); }
};

void print_plan(const plan::Plan& plan, const RunContext& ctx) {
  std::istringstream lines(plan::describe(plan));
  for (std::string line; std::getline(lines, line);) ctx.progress.message("DRY-RUN " + line);
}

void run_plan(const plan::Plan& plan, const model::Project& project, const RunContext& ctx,
              std::optional<int> wait_timeout_seconds = {}) {
  if (ctx.dry_run) {
    print_plan(plan, ctx);
    return;
  }
  for (const auto& w : plan.warnings) ctx.progress.message("WARN " + w);
  ExecuteOptions options;
  options.parallelism = ctx.parallelism;
  options.interrupted = ctx.interrupted;
  if (wait_timeout_seconds) options.wait_timeout = std::chrono::seconds(*wait_timeout_seconds);
  execute(plan, project, ctx.engine, ctx.progress, options);
}

bool changes_state(const plan::Plan& plan) {
  return std::any_of(plan.actions.begin(), plan.actions.end(),
                     [](const plan::Action& a) { return a.kind != plan::ActionKind::WaitContainers; });
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
void lifecycle(const model::Project& project, const RunContext& ctx, MakePlan&& make) {
  FinishGuard guard{ctx.progress};
  auto observed = plan::observe(ctx.engine, project.name);
  run_plan(make(observed), project, ctx);
}

}  // namespace

void up(const model::Project& project, const UpOptions& options, const RunContext& ctx) {
  FinishGuard guard{ctx.progress};
  auto converge = converge_options(options);
  converge.missing_images_planned = ctx.dry_run;
  auto attempt = [&] {
    auto observed = plan::observe(ctx.engine, project);
    auto plan = plan::reconcile(project, observed, converge);
    // Nothing to change (the common no-op `up`) needs no lock.
    if (ctx.dry_run || !changes_state(plan))
      return run_plan(plan, project, ctx, options.wait_timeout_seconds);
    ProjectLockOptions lock_options;
    lock_options.interrupted = ctx.interrupted;
    lock_options.waiting = [&](const std::string& message) { ctx.progress.message(message); };
    ProjectLock lock(ctx.engine, project.name, lock_image(project, observed), lock_options);
    if (lock.held()) {
      // Another run may have converged (part of) the project between the
      // first look and the lock: plan from what is there now.
      observed = plan::observe(ctx.engine, project);
      plan = plan::reconcile(project, observed, converge);
    }
    run_plan(plan, project, ctx, options.wait_timeout_seconds);
  };
  try {
    attempt();
  } catch (const Error& e) {
    // Something that does not take berth's lock (docker compose, a run
    // that had no image to lock with) got there first with a 409 that was
    // not simply the same container: look again and converge from there, once.
    if (e.kind() != ErrorKind::Conflict || ctx.dry_run) throw;
    attempt();
  }
}

void create(const model::Project& project, UpOptions options, const RunContext& ctx) {
  options.no_start = true;
  options.wait = false;
  up(project, options, ctx);
}

void scale(const model::Project& project, const std::map<std::string, int>& replicas, bool no_deps,
           const RunContext& ctx) {
  UpOptions options;
  for (const auto& [service, count] : replicas) options.services.push_back(service);
  options.scale = replicas;
  options.no_deps = no_deps;
  up(project, options, ctx);
}

void down(const model::Project& project, const DownOptions& options, const RunContext& ctx) {
  plan::DownPlanOptions o{options.volumes, options.rmi, options.remove_orphans, options.timeout_seconds};
  if (!o.rmi.empty() && o.rmi != "local" && o.rmi != "all")
    throw Error(ErrorKind::Usage, "--rmi must be \"local\" or \"all\", not \"" + o.rmi + "\"");
  // A lock a killed `up` left behind would keep its image in use (--rmi).
  if (!ctx.dry_run) remove_stale_project_lock(ctx.engine, project.name);
  lifecycle(project, ctx, [&](const plan::ObservedState& s) { return plan::plan_down(project, s, o); });
}

void start(const model::Project& project, const std::vector<std::string>& services, const RunContext& ctx) {
  lifecycle(project, ctx, [&](const plan::ObservedState& s) { return plan::plan_start(project, s, services); });
}

void stop(const model::Project& project, const std::vector<std::string>& services, std::optional<int> timeout_seconds,
          const RunContext& ctx) {
  lifecycle(project, ctx,
            [&](const plan::ObservedState& s) { return plan::plan_stop(project, s, services, timeout_seconds); });
}

void restart(const model::Project& project, const std::vector<std::string>& services, const RestartOptions& options,
             const RunContext& ctx) {
  lifecycle(project, ctx, [&](const plan::ObservedState& s) {
    return plan::plan_restart(project, s, services, options.timeout_seconds, options.no_deps);
  });
}

void kill(const model::Project& project, const std::vector<std::string>& services, const KillOptions& options,
          const RunContext& ctx) {
  lifecycle(project, ctx, [&](const plan::ObservedState& s) {
    auto plan = plan::plan_kill(project, s, services, options.signal, options.remove_orphans);
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

void remove(const model::Project& project, const std::vector<std::string>& services, const RemoveOptions& options,
            const RunContext& ctx) {
  plan::RemovePlanOptions o{options.stop, options.volumes};
  lifecycle(project, ctx, [&](const plan::ObservedState& s) { return plan::plan_remove(project, s, services, o); });
}

int wait(const model::Project& project, const WaitOptions& options, const RunContext& ctx) {
  auto observed = plan::observe(ctx.engine, project.name);
  std::vector<plan::ObservedContainer> targets;
  for (const auto& c : observed.containers) {
    if (c.oneoff || c.temporary()) continue;
    bool wanted = options.services.empty();
    for (const auto& s : options.services) wanted = wanted || s == c.service;
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
  if (options.down_project) down(project, {}, ctx);
  return *first_exit;
}

}  // namespace berth::exec
