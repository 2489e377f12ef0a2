#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {

void register_unpause(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("unpause", "Unpause services");
  struct Flags {
    std::vector<std::string> services;
  };
  auto f = std::make_shared<Flags>();

  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] {
    auto project = load_project(*global, f->services, ProjectFiles::Optional);
    LifecycleSession session(*global);
    session.run([&] { exec::unpause(project, f->services, session.context()); });
  });
}

}  // namespace berth::cli
