// start, pause and unpause: commands that take only service names and run
// one lifecycle operation on the project's existing containers.
#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {
namespace {

using ServicesOperation = void (*)(const model::Project&, const std::vector<std::string>&,
                                   const exec::RunContext&);

void register_services_command(CLI::App& app, CommandContext& ctx, const char* name,
                               const char* help, ServicesOperation operation) {
  auto* cmd = app.add_subcommand(name, help);
  auto services = std::make_shared<std::vector<std::string>>();
  cmd->add_option("service", *services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([services, global, operation] {
    auto project = load_project(*global, *services, ProjectFiles::Optional);
    LifecycleSession session(*global);
    session.run([&] { operation(project, *services, session.context()); });
  });
}

}  // namespace

void register_start(CLI::App& app, CommandContext& ctx) {
  register_services_command(app, ctx, "start", "Start services", exec::start);
}

void register_pause(CLI::App& app, CommandContext& ctx) {
  register_services_command(app, ctx, "pause", "Pause services", exec::pause);
}

void register_unpause(CLI::App& app, CommandContext& ctx) {
  register_services_command(app, ctx, "unpause", "Unpause services", exec::unpause);
}

}  // namespace berth::cli
