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

struct CreateFlags {
  bool force_recreate = false;
  bool no_recreate = false;
  bool remove_orphans = false;
  std::vector<std::string> scale;
  std::vector<std::string> services;
  ImageFlags images;
};

void run_create(const CreateFlags& f, const GlobalOptions& global) {
  if (f.force_recreate && f.no_recreate)
    throw Error(ErrorKind::Usage, "--force-recreate and --no-recreate are incompatible");
  exec::UpOptions o;
  o.services = f.services;
  o.recreate = f.force_recreate ? exec::RecreatePolicy::Force
               : f.no_recreate  ? exec::RecreatePolicy::Never
                                : exec::RecreatePolicy::Diverged;
  o.remove_orphans = f.remove_orphans;
  o.scale = parse_scale_arguments(f.scale);
  auto images = to_image_options(f.images);
  auto project = load_project(global, f.services, ProjectFiles::Required);
  check_scaled_services_exist(project, o.scale);
  LifecycleSession session(global);
  session.run([&] {
    prepare_for_containers(project, f.services, false, images, session.context(), global);
    exec::create(project, o, session.context());
  });
}

}  // namespace

void register_create(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("create", "Creates containers for a service");
  auto f = std::make_shared<CreateFlags>();
  cmd->add_flag("--force-recreate", f->force_recreate,
                "Recreate containers even if their configuration and image haven't changed");
  cmd->add_flag("--no-recreate", f->no_recreate, "If containers already exist, don't recreate them");
  cmd->add_flag("--remove-orphans", f->remove_orphans,
                "Remove containers for services not defined in the Compose file");
  cmd->add_option("--scale", f->scale, "Scale SERVICE to NUM instances (overrides the `scale` setting)")
      ->type_name("SERVICE=NUM");
  add_image_flags(*cmd, f->images);
  cmd->add_option("service", f->services, "Services to create (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { run_create(*f, *global); });
}

}  // namespace berth::cli
