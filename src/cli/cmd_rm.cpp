#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {

void register_rm(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("rm", "Removes stopped service containers");
  struct Flags {
    std::vector<std::string> services;
    exec::RemoveOptions options;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_flag("-f,--force", f->options.force, "Don't ask to confirm removal");
  cmd->add_flag("-s,--stop", f->options.stop, "Stop the containers, if required, before removing");
  cmd->add_flag("-v,--volumes", f->options.volumes, "Remove any anonymous volumes attached to containers");
  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] {
    auto project = load_project(*global, f->services, ProjectFiles::Optional);
    LifecycleSession session(*global);
    session.run([&] { exec::remove(project, f->services, f->options, session.context()); });
  });
}

}  // namespace berth::cli
