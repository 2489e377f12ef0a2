// start, pause and unpause: commands that take only service names.
#include <CLI/CLI.hpp>

#include "berth/service/lifecycle.h"
#include "app.h"

namespace berth::cli {
namespace {

using ServicesCommand = void (*)(const GlobalOptions&, const std::vector<std::string>&);

void register_services_command(CLI::App& app, CommandContext& ctx, const char* name, const char* help,
                               ServicesCommand command) {
  auto* cmd = app.add_subcommand(name, help);
  auto services = std::make_shared<std::vector<std::string>>();
  cmd->add_option("service", *services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([services, global, command] { command(*global, *services); });
}

}  // namespace

void register_start(CLI::App& app, CommandContext& ctx) {
  register_services_command(app, ctx, "start", "Start services", service::start);
}

void register_pause(CLI::App& app, CommandContext& ctx) {
  register_services_command(app, ctx, "pause", "Pause services", service::pause);
}

void register_unpause(CLI::App& app, CommandContext& ctx) {
  register_services_command(app, ctx, "unpause", "Unpause services", service::unpause);
}

}  // namespace berth::cli
