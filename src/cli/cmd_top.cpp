#include <CLI/CLI.hpp>

#include "berth/service/containers.h"
#include "app.h"

namespace berth::cli {

void register_top(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("top", "Display the running processes");
  auto services = std::make_shared<std::vector<std::string>>();
  cmd->add_option("service", *services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([services, global] { service::top(*global, *services); });
}

}  // namespace berth::cli
