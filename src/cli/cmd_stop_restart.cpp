// stop and restart: service names plus a shutdown timeout.
#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {
namespace {

using TimedOperation = void (*)(const model::Project&, const std::vector<std::string>&,
                                std::optional<int>, const exec::RunContext&);

void register_timed_command(CLI::App& app, CommandContext& ctx, const char* name, const char* help,
                            TimedOperation operation) {
  auto* cmd = app.add_subcommand(name, help);
  struct Flags {
    std::vector<std::string> services;
    int timeout = -1;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_option("-t,--timeout", f->timeout, "Specify a shutdown timeout in seconds")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global, operation] {
    auto project = load_project(*global, f->services, ProjectFiles::Optional);
    LifecycleSession session(*global);
    session.run([&] {
      operation(project, f->services, f->timeout >= 0 ? std::optional<int>(f->timeout) : std::nullopt,
                session.context());
    });
  });
}

}  // namespace

void register_stop(CLI::App& app, CommandContext& ctx) {
  register_timed_command(app, ctx, "stop", "Stop services", exec::stop);
}

void register_restart(CLI::App& app, CommandContext& ctx) {
  register_timed_command(app, ctx, "restart", "Restart service containers", exec::restart);
}

}  // namespace berth::cli
