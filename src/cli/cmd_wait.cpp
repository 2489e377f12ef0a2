#include <CLI/CLI.hpp>

#include "berth/service/lifecycle.h"
#include "app.h"

namespace berth::cli {

void register_wait(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("wait", "Block until the first service container stops");
  struct Flags {
    std::vector<std::string> services;
    bool down_project = false;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_flag("--down-project", f->down_project, "Drops project when the first container stops");
  cmd->add_option("service", f->services, "Services to wait for")->required();
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([f, global, exit_code] { *exit_code = service::wait(*global, f->services, f->down_project); });
}

}  // namespace berth::cli
