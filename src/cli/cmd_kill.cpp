#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {

void register_kill(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("kill", "Force stop service containers");
  struct Flags {
    std::vector<std::string> services;
    exec::KillOptions options;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_option("-s,--signal", f->options.signal, "SIGNAL to send to the container")->type_name("SIGNAL");
  cmd->add_flag("--remove-orphans", f->options.remove_orphans,
                "Also kill the containers of services not in the Compose file (orphans)");
  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] {
    auto project = load_project(*global, f->services, ProjectFiles::Optional);
    LifecycleSession session(*global);
    session.run([&] { exec::kill(project, f->services, f->options, session.context()); });
  });
}

}  // namespace berth::cli
