#include <CLI/CLI.hpp>

#include "berth/service/lifecycle.h"
#include "app.h"

namespace berth::cli {

void register_kill(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("kill", "Force stop service containers");
  struct Flags {
    std::vector<std::string> services;
    std::string signal = "SIGKILL";
    bool remove_orphans = false;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_option("-s,--signal", f->signal, "SIGNAL to send to the container")->type_name("SIGNAL");
  cmd->add_flag("--remove-orphans", f->remove_orphans,
                "Also kill the containers of services not in the Compose file (orphans)");
  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { service::kill(*global, f->services, f->signal, f->remove_orphans); });
}

}  // namespace berth::cli
