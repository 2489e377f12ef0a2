#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "berth/util/error.h"
#include "berth/ui/terminal.h"
#include "cli/app.h"
#include "cli/attached_up.h"
#include "cli/image_flags.h"
#include "cli/lifecycle_session.h"
#include "cli/scale_arguments.h"

namespace berth::cli {
namespace {

struct UpFlags {
  bool detach = false;
  bool force_recreate = false;
  bool no_recreate = false;
  bool always_recreate_deps = false;
  bool no_deps = false;
  bool no_start = false;
  bool remove_orphans = false;
  bool renew_anon_volumes = false;
  std::vector<std::string> scale;
  bool wait = false;
  int wait_timeout = -1;
  int timeout = -1;
  std::vector<std::string> services;
  ImageFlags images;
  // Attached mode.
  std::vector<std::string> attach;
  std::vector<std::string> no_attach;
  bool attach_dependencies = false;
  bool abort_on_exit = false;
  bool abort_on_failure = false;
  std::string exit_code_from;
  bool no_log_prefix = false;
  bool no_color = false;
  bool timestamps = false;
  bool menu = false;
};

// Flags of attached mode make no sense with -d (docker compose refuses them too).
void check_attached_flags(const UpFlags& f, bool detached, const model::Project& project) {
  if (f.menu) throw Error(ErrorKind::Usage, "--menu (the navigation menu of attached mode) is not supported by berth");
  if (f.abort_on_exit && f.abort_on_failure)
    throw Error(ErrorKind::Usage, "--abort-on-container-exit and --abort-on-container-failure are incompatible");
  if (detached) {
    if (f.abort_on_exit) throw Error(ErrorKind::Usage, "--abort-on-container-exit and --detach are incompatible");
    if (f.abort_on_failure)
      throw Error(ErrorKind::Usage, "--abort-on-container-failure and --detach are incompatible");
    if (!f.exit_code_from.empty()) throw Error(ErrorKind::Usage, "--exit-code-from and --detach are incompatible");
  }
  for (const auto* list : {&f.attach, &f.no_attach})
    for (const auto& name : *list)
      if (!project.find_service(name)) throw Error(ErrorKind::Usage, "no such service: " + name);
  // docker compose looks --exit-code-from up in the project (narrowed to the
  // named services by --no-deps).
  if (!f.exit_code_from.empty() &&
      (!project.find_service(f.exit_code_from) ||
       (f.no_deps && !f.services.empty() &&
        std::find(f.services.begin(), f.services.end(), f.exit_code_from) == f.services.end())))
    throw Error(ErrorKind::Usage, "no such service: " + f.exit_code_from);
}

// "seconds.nanoseconds" now, for the engine's `since`.
std::string engine_now() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  char text[48];
  std::snprintf(text, sizeof text, "%lld.%09lld", static_cast<long long>(ns / 1000000000),
                static_cast<long long>(ns % 1000000000));
  return text;
}

exec::UpOptions to_up_options(const UpFlags& f) {
  if (f.force_recreate && f.no_recreate)
    throw Error(ErrorKind::Usage, "--force-recreate and --no-recreate are incompatible");
  if (f.no_start && f.wait) throw Error(ErrorKind::Usage, "--no-start and --wait are incompatible");
  if (f.always_recreate_deps && f.no_recreate)
    throw Error(ErrorKind::Usage, "--always-recreate-deps and --no-recreate are incompatible");
  exec::UpOptions o;
  o.services = f.services;
  o.recreate = f.force_recreate ? exec::RecreatePolicy::Force
               : f.no_recreate  ? exec::RecreatePolicy::Never
                                : exec::RecreatePolicy::Diverged;
  o.always_recreate_deps = f.always_recreate_deps;
  o.no_deps = f.no_deps;
  o.no_start = f.no_start;
  o.remove_orphans = f.remove_orphans;
  o.renew_anon_volumes = f.renew_anon_volumes;
  o.scale = parse_scale_arguments(f.scale);
  o.wait = f.wait;
  if (f.wait_timeout >= 0) o.wait_timeout_seconds = f.wait_timeout;
  if (f.timeout >= 0) o.timeout_seconds = f.timeout;
  return o;
}

int run_up(const UpFlags& f, const GlobalOptions& global) {
  // --wait implies detached, like docker compose; --no-start has nothing to attach to.
  const bool detached = f.detach || f.wait || f.no_start;
  auto options = to_up_options(f);
  auto images = to_image_options(f.images);
  auto project = load_project(global, f.services, ProjectFiles::Required);
  check_scaled_services_exist(project, options.scale);
  check_attached_flags(f, detached, project);
  // Output from the moment up began: a container started by this up may
  // print (and exit) before following starts.
  const auto since = engine_now();
  LifecycleSession session(global);
  session.run([&] {
    prepare_for_containers(project, f.services, f.no_deps, images, session.context(), global);
    exec::up(project, options, session.context());
  });
  if (detached || global.dry_run) return 0;

  AttachedUpOptions attached;
  attached.attach = attached_services(project, f.services, f.attach, f.no_attach, f.attach_dependencies);
  attached.watched = watched_services(project, f.services, attached.attach);
  // --exit-code-from implies --abort-on-container-exit unless failures abort.
  attached.abort_on_exit = f.abort_on_exit || (!f.exit_code_from.empty() && !f.abort_on_failure);
  attached.abort_on_failure = f.abort_on_failure;
  attached.exit_code_from = f.exit_code_from;
  attached.timestamps = f.timestamps;
  attached.printer.prefix = !f.no_log_prefix;
  attached.printer.color = !f.no_color && global.ansi != "never" &&
                           (global.ansi == "always" || ui::is_terminal(STDOUT_FILENO));
  attached.timeout_seconds = options.timeout_seconds;
  attached.since = since;
  return follow_attached(project, attached, global);
}

}  // namespace

void register_up(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("up", "Create and start containers");
  auto f = std::make_shared<UpFlags>();
  cmd->add_flag("-d,--detach", f->detach, "Detached mode: Run containers in the background");
  cmd->add_flag("--force-recreate", f->force_recreate,
                "Recreate containers even if their configuration and image haven't changed");
  cmd->add_flag("--no-recreate", f->no_recreate, "If containers already exist, don't recreate them");
  cmd->add_flag("--always-recreate-deps", f->always_recreate_deps, "Recreate dependent containers");
  cmd->add_flag("--no-deps", f->no_deps, "Don't start linked services");
  cmd->add_flag("--no-start", f->no_start, "Don't start the services after creating them");
  cmd->add_flag("--remove-orphans", f->remove_orphans,
                "Remove containers for services not defined in the Compose file");
  cmd->add_flag("-V,--renew-anon-volumes", f->renew_anon_volumes,
                "Recreate anonymous volumes instead of retrieving data from the previous containers");
  cmd->add_option("--scale", f->scale, "Scale SERVICE to NUM instances (overrides the `scale` setting)")
      ->type_name("SERVICE=NUM");
  cmd->add_flag("--wait", f->wait, "Wait for services to be running|healthy. Implies detached mode");
  cmd->add_option("--wait-timeout", f->wait_timeout,
                  "Maximum duration in seconds to wait for the project to be running|healthy")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-t,--timeout", f->timeout, "Use this timeout in seconds for container shutdown")
      ->check(CLI::NonNegativeNumber);
  add_image_flags(*cmd, f->images);
  cmd->add_option("--attach", f->attach, "Restrict attaching to the specified services")
      ->type_name("SERVICE")
      ->allow_extra_args(false);
  cmd->add_option("--no-attach", f->no_attach, "Do not attach (stream logs) to the specified services")
      ->type_name("SERVICE")
      ->allow_extra_args(false);
  cmd->add_flag("--attach-dependencies", f->attach_dependencies, "Automatically attach to log output of dependent services");
  cmd->add_flag("--abort-on-container-exit", f->abort_on_exit,
                "Stops all containers if any container was stopped. Incompatible with -d");
  cmd->add_flag("--abort-on-container-failure", f->abort_on_failure,
                "Stops all containers if any container exited with failure. Incompatible with -d");
  cmd->add_option("--exit-code-from", f->exit_code_from,
                  "Return the exit code of the selected service container. Implies --abort-on-container-exit")
      ->type_name("SERVICE");
  cmd->add_flag("--no-log-prefix", f->no_log_prefix, "Don't print prefix in logs");
  cmd->add_flag("--no-color", f->no_color, "Produce monochrome output");
  cmd->add_flag("--timestamps", f->timestamps, "Show timestamps");
  cmd->add_flag("--menu", f->menu, "Enable interactive shortcuts when running attached (not supported)")
      ->envname("COMPOSE_MENU");
  cmd->add_option("service", f->services, "Services to start (default: all)");
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([f, global, exit_code] { *exit_code = run_up(*f, *global); });
}

}  // namespace berth::cli
