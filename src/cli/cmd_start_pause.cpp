// start, pause and unpause: pause and unpause take only service names.
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
  auto* cmd = app.add_subcommand("start", "Start services");
  auto o = std::make_shared<service::StartOptions>();
  auto wait_timeout = std::make_shared<int>(-1);
  cmd->add_flag("--wait", o->wait, "Wait for services to be running|healthy");
  cmd->add_option("--wait-timeout", *wait_timeout,
                  "Maximum duration in seconds to wait for the project to be running|healthy")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("service", o->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, wait_timeout, global] {
    if (*wait_timeout >= 0) o->wait_timeout_seconds = *wait_timeout;
    service::start(*global, *o);
  });
}

void register_pause(CLI::App& app, CommandContext& ctx) {
  register_services_command(app, ctx, "pause", "Pause services", service::pause);
}

void register_unpause(CLI::App& app, CommandContext& ctx) {
  register_services_command(app, ctx, "unpause", "Unpause services", service::unpause);
}

}  // namespace berth::cli
