#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {

void register_wait(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("wait", "Block until the first service container stops");
  auto o = std::make_shared<exec::WaitOptions>();
  cmd->add_flag("--down-project", o->down_project, "Drops project when the first container stops");
  cmd->add_option("service", o->services, "Services to wait for")->required();
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([o, global, exit_code] {
    auto project = load_project(*global, o->services, ProjectFiles::Optional);
    LifecycleSession session(*global);
    session.run([&] { *exit_code = exec::wait(project, *o, session.context()); });
  });
}

}  // namespace berth::cli
