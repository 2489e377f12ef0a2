// up, create and scale, top-down: load the project, prepare what its
// containers need (the policy's refusals, the images, the policy's defaults
// with what the images say), converge, and for attached `up` follow the
// output until the watched containers stop.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "berth/exec/engine_image_facts.h"
#include "berth/model/project.h"
#include "berth/policy/security_policy.h"
#include "berth/service/global_options.h"
#include "berth/service/lifecycle.h"
#include "berth/ui/terminal.h"
#include "berth/util/error.h"
#include "attached_up.h"
#include "image_builds.h"
#include "operations.h"
#include "prepare.h"
#include "project_loading.h"
#include "project_logs.h"
#include "project_watcher.h"
#include "security.h"
#include "session.h"

namespace berth::service {
namespace {

// Flags of attached mode make no sense with -d (docker compose refuses them too).
void check_attached_flags(const UpOptions& options, const model::Project& project) {
  const AttachedMode& a = options.attached;
  if (a.abort_on_exit && a.abort_on_failure)
    throw Error(ErrorKind::Usage, "--abort-on-container-exit and --abort-on-container-failure are incompatible");
  if (options.detach && options.watch) throw Error(ErrorKind::Usage, "--watch and --detach are incompatible");
  if (options.detach) {
    if (a.abort_on_exit) throw Error(ErrorKind::Usage, "--abort-on-container-exit and --detach are incompatible");
    if (a.abort_on_failure) throw Error(ErrorKind::Usage, "--abort-on-container-failure and --detach are incompatible");
    if (!a.exit_code_from.empty()) throw Error(ErrorKind::Usage, "--exit-code-from and --detach are incompatible");
  }
  for (const auto* list : {&a.attach, &a.no_attach})
    for (const auto& name : *list)
      if (!project.find_service(name)) throw Error(ErrorKind::Usage, "no such service: " + name);
  // docker compose looks --exit-code-from up in the project (narrowed to the
  // named services by --no-deps).
  const auto& named = options.converge.services;
  if (!a.exit_code_from.empty() &&
      (!project.find_service(a.exit_code_from) ||
       (options.converge.no_deps && !named.empty() &&
        std::find(named.begin(), named.end(), a.exit_code_from) == named.end())))
    throw Error(ErrorKind::Usage, "no such service: " + a.exit_code_from);
}

// "seconds.nanoseconds" now, for the engine's `since`.
std::string engine_now() {
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  char text[48];
  std::snprintf(text, sizeof text, "%lld.%09lld", static_cast<long long>(ns / 1000000000),
                static_cast<long long>(ns % 1000000000));
  return text;
}

AttachedUpOptions attached_options(const model::Project& project, const UpOptions& options,
                                   const GlobalOptions& global, const std::string& since) {
  const AttachedMode& a = options.attached;
  const auto& named = options.converge.services;
  AttachedUpOptions attached;
  attached.attach = attached_services(project, named, a.attach, a.no_attach, a.attach_dependencies);
  attached.watched = watched_services(project, named, attached.attach);
  // --exit-code-from implies --abort-on-container-exit unless failures abort.
  attached.abort_on_exit = a.abort_on_exit || (!a.exit_code_from.empty() && !a.abort_on_failure);
  attached.abort_on_failure = a.abort_on_failure;
  attached.exit_code_from = a.exit_code_from;
  attached.timestamps = a.timestamps;
  attached.printer = log_printer_options(global, a.no_color, a.no_log_prefix);
  attached.timeout_seconds = options.converge.timeout_seconds;
  attached.since = since;
  return attached;
}

}  // namespace

void check_scaled_services_exist(const model::Project& project, const std::map<std::string, int>& scale) {
  for (const auto& [service, _] : scale)
    if (!project.find_service(service)) throw Error(ErrorKind::Usage, "--scale: no such service: " + service);
}

void prepare_containers(model::Project& project, const std::vector<std::string>& services, bool no_deps,
                        const ImageOptions& images, const RunContext& ctx, const GlobalOptions& global) {
  std::vector<std::string> needed;
  if (!services.empty()) {
    if (no_deps) needed = services;
    else
      for (const auto& name : project.with_dependencies(services)) needed.push_back(name);
  }
  exec::EngineImageFacts facts(ctx.engine);
  policy::SecurityPolicy policy(policy_options(global, project), facts);
  // A file the policy refuses whatever the images are fails before a long build.
  policy.check_before_images(project);
  ensure_images(project, needed, images, ctx);
  // Only commands that create containers apply the policy; the others (down,
  // stop, ps...) must keep working on a file the policy would refuse.
  policy.apply(project);
}

int up(const GlobalOptions& global, const UpOptions& options) {
  auto project = load_project(global, options.converge.services, ProjectFiles::Required);
  check_scaled_services_exist(project, options.converge.scale);
  check_attached_flags(options, project);
  if (options.watch) watch_rules(project, options.converge.services);  // bad rules fail before anything starts
  // Output from the moment up began: a container started by this up may
  // print (and exit) before following starts.
  const auto since = engine_now();
  plan::ConvergeOptions converge_options = options.converge;
  converge_options.all_resources = global.project.all_resources;
  Session session(global);
  session.run([&] {
    prepare_containers(project, options.converge.services, options.converge.no_deps, options.images,
                       session.context(), global);
    converge(project, converge_options, session.context());
  });
  if (options.detach || global.dry_run) return 0;
  AttachedUpOptions attached = attached_options(project, options, global, since);
  if (!options.watch) return follow_attached(project, attached, global);

  // up --watch: the watch loop beside the attached output, stopped at the
  // first Ctrl-C before the containers are.
  WatchOptions watch_options;
  watch_options.services = options.converge.services;
  watch_options.quiet = options.watch_quiet;
  GlobalOptions lines = global;
  if (lines.progress == "auto" || lines.progress == "tty") lines.progress = "plain";
  Session watch_session(lines, SessionOutput::Progress, SessionSignals::Left);
  ProjectWatcher watcher(lines, project, watch_options, watch_session.engine(), watch_session.progress());
  std::atomic<bool> stop_watching{false};
  std::exception_ptr watch_error;
  std::thread watching([&] {
    try {
      watcher.run([&] { return stop_watching.load(); });
    } catch (...) {
      watch_error = std::current_exception();
    }
  });
  attached.until_interrupted = true;
  attached.on_stopping = [&] { stop_watching = true; };
  int code = 0;
  try {
    code = follow_attached(project, attached, global);
  } catch (...) {
    stop_watching = true;
    watching.join();
    throw;
  }
  stop_watching = true;
  watching.join();
  if (watch_error) {
    try {
      std::rethrow_exception(watch_error);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Interrupted) throw;
    }
  }
  return code;
}

void create(const GlobalOptions& global, plan::ConvergeOptions options, const ImageOptions& images) {
  options.no_start = true;
  options.wait = false;
  options.all_resources = global.project.all_resources;
  auto project = load_project(global, options.services, ProjectFiles::Required);
  check_scaled_services_exist(project, options.scale);
  Session session(global);
  session.run([&] {
    prepare_containers(project, options.services, false, images, session.context(), global);
    converge(project, options, session.context());
  });
}

void scale(const GlobalOptions& global, const std::map<std::string, int>& replicas, bool no_deps) {
  plan::ConvergeOptions options;
  for (const auto& [service, _] : replicas) options.services.push_back(service);
  options.scale = replicas;
  options.no_deps = no_deps;
  auto project = load_project(global, options.services, ProjectFiles::Required);
  Session session(global);
  session.run([&] {
    prepare_containers(project, options.services, no_deps, {}, session.context(), global);
    converge(project, options, session.context());
  });
}

}  // namespace berth::service
