#include <CLI/CLI.hpp>

#include "berth/service/lifecycle.h"
#include "berth/util/error.h"
#include "app.h"
#include "shared_flags.h"

namespace berth::cli {
namespace {

struct UpFlags {
  service::UpOptions options;
  bool force_recreate = false;
  bool no_recreate = false;
  std::vector<std::string> scale;
  int wait_timeout = -1;
  int timeout = -1;
  ImageFlags images;
  bool menu = false;
};

service::UpOptions to_options(UpFlags& f) {
  auto& o = f.options;
  auto& c = o.converge;
  if (f.menu) throw Error(ErrorKind::Usage, "--menu (the navigation menu of attached mode) is not supported by berth");
  c.recreate = recreate_policy(f.force_recreate, f.no_recreate);
  if (c.no_start && c.wait) throw Error(ErrorKind::Usage, "--no-start and --wait are incompatible");
  if (c.always_recreate_deps && f.no_recreate)
    throw Error(ErrorKind::Usage, "--always-recreate-deps and --no-recreate are incompatible");
  c.scale = parse_scale_arguments(f.scale);
  if (f.wait_timeout >= 0) c.wait_timeout_seconds = f.wait_timeout;
  if (f.timeout >= 0) c.timeout_seconds = f.timeout;
  o.images = to_image_options(f.images);
  o.watch_quiet = o.images.quiet_build;
  // --wait implies detached, like docker compose; --no-start has nothing to attach to.
  o.detach = o.detach || c.wait || c.no_start;
  return o;
}

}  // namespace

void register_up(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("up", "Create and start containers");
  auto f = std::make_shared<UpFlags>();
  auto& c = f->options.converge;
  auto& a = f->options.attached;
  cmd->add_flag("-d,--detach", f->options.detach, "Detached mode: Run containers in the background");
  cmd->add_flag("--force-recreate", f->force_recreate,
                "Recreate containers even if their configuration and image haven't changed");
  cmd->add_flag("--no-recreate", f->no_recreate, "If containers already exist, don't recreate them");
  cmd->add_flag("--always-recreate-deps", c.always_recreate_deps, "Recreate dependent containers");
  cmd->add_flag("--no-deps", c.no_deps, "Don't start linked services");
  cmd->add_flag("--no-start", c.no_start, "Don't start the services after creating them");
  cmd->add_flag("--remove-orphans", c.remove_orphans, "Remove containers for services not defined in the Compose file");
  cmd->add_flag("-V,--renew-anon-volumes", c.renew_anonymous_volumes,
                "Recreate anonymous volumes instead of retrieving data from the previous containers");
  cmd->add_option("--scale", f->scale, "Scale SERVICE to NUM instances (overrides the `scale` setting)")
      ->type_name("SERVICE=NUM");
  cmd->add_flag("--wait", c.wait, "Wait for services to be running|healthy. Implies detached mode");
  cmd->add_option("--wait-timeout", f->wait_timeout,
                  "Maximum duration in seconds to wait for the project to be running|healthy")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-t,--timeout", f->timeout, "Use this timeout in seconds for container shutdown")
      ->check(CLI::NonNegativeNumber);
  add_image_flags(*cmd, f->images);
  add_assume_yes_flag(*cmd);
  cmd->add_option("--attach", a.attach, "Restrict attaching to the specified services")
      ->type_name("SERVICE")
      ->allow_extra_args(false);
  cmd->add_option("--no-attach", a.no_attach, "Do not attach (stream logs) to the specified services")
      ->type_name("SERVICE")
      ->allow_extra_args(false);
  cmd->add_flag("--attach-dependencies", a.attach_dependencies, "Automatically attach to log output of dependent services");
  cmd->add_flag("--abort-on-container-exit", a.abort_on_exit,
                "Stops all containers if any container was stopped. Incompatible with -d");
  cmd->add_flag("--abort-on-container-failure", a.abort_on_failure,
                "Stops all containers if any container exited with failure. Incompatible with -d");
  cmd->add_option("--exit-code-from", a.exit_code_from,
                  "Return the exit code of the selected service container. Implies --abort-on-container-exit")
      ->type_name("SERVICE");
  cmd->add_flag("--no-log-prefix", a.no_log_prefix, "Don't print prefix in logs");
  cmd->add_flag("--no-color", a.no_color, "Produce monochrome output");
  cmd->add_flag("--timestamps", a.timestamps, "Show timestamps");
  cmd->add_flag("-w,--watch", f->options.watch,
                "Watch source code and rebuild/refresh containers when files are updated.");
  cmd->add_flag("--menu", f->menu, "Enable interactive shortcuts when running attached (not supported)")
      ->envname("COMPOSE_MENU");
  cmd->add_option("service", c.services, "Services to start (default: all)");
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([f, global, exit_code] { *exit_code = service::up(*global, to_options(*f)); });
}

}  // namespace berth::cli
