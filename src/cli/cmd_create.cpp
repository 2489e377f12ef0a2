#include <CLI/CLI.hpp>

#include "berth/service/lifecycle.h"
#include "app.h"
#include "shared_flags.h"

namespace berth::cli {

void register_create(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("create", "Creates containers for a service");
  struct Flags {
    plan::ConvergeOptions options;
    bool force_recreate = false;
    bool no_recreate = false;
    std::vector<std::string> scale;
    ImageFlags images;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_flag("--force-recreate", f->force_recreate,
                "Recreate containers even if their configuration and image haven't changed");
  cmd->add_flag("--no-recreate", f->no_recreate, "If containers already exist, don't recreate them");
  cmd->add_flag("--remove-orphans", f->options.remove_orphans,
                "Remove containers for services not defined in the Compose file");
  cmd->add_option("--scale", f->scale, "Scale SERVICE to NUM instances (overrides the `scale` setting)")
      ->type_name("SERVICE=NUM");
  add_image_flags(*cmd, f->images);
  add_assume_yes_flag(*cmd);
  cmd->add_option("service", f->options.services, "Services to create (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] {
    f->options.recreate = recreate_policy(f->force_recreate, f->no_recreate);
    f->options.scale = parse_scale_arguments(f->scale);
    service::create(*global, f->options, to_image_options(f->images));
  });
}

}  // namespace berth::cli
