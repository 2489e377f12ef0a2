#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "berth/util/error.h"
#include "cli/app.h"
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
};

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

void run_up(const UpFlags& f, const GlobalOptions& global) {
  // --wait implies detached, like docker compose; --no-start has nothing to attach to.
  if (!f.detach && !f.wait && !f.no_start)
    throw Error(
        ErrorKind::Usage,
        "attached mode (up without -d) is not implemented yet: use `berth up -d` and `berth logs -f`");
  auto options = to_up_options(f);
  auto images = to_image_options(f.images);
  auto project = load_project(global, f.services, ProjectFiles::Required);
  check_scaled_services_exist(project, options.scale);
  LifecycleSession session(global);
  session.run([&] {
    prepare_for_containers(project, f.services, f.no_deps, images, session.context(), global);
    exec::up(project, options, session.context());
  });
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
  cmd->add_option("service", f->services, "Services to start (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { run_up(*f, *global); });
}

}  // namespace berth::cli
