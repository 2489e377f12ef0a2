// stop and restart: service names plus a shutdown timeout.
#include <CLI/CLI.hpp>
#include <functional>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {
namespace {

struct TimedFlags {
  std::vector<std::string> services;
  int timeout = -1;
  bool no_deps = false;  // restart only
};

using TimedOperation = std::function<void(const model::Project&, const TimedFlags&, std::optional<int> timeout,
                                          const exec::RunContext&)>;

CLI::App* register_timed_command(CLI::App& app, CommandContext& ctx, const char* name, const char* help,
                                 const std::shared_ptr<TimedFlags>& f, TimedOperation operation) {
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("-t,--timeout", f->timeout, "Specify a shutdown timeout in seconds")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global, operation] {
    auto project = load_project(*global, f->services, ProjectFiles::Optional);
    LifecycleSession session(*global);
    session.run([&] {
      operation(project, *f, f->timeout >= 0 ? std::optional<int>(f->timeout) : std::nullopt, session.context());
    });
  });
  return cmd;
}

}  // namespace

void register_stop(CLI::App& app, CommandContext& ctx) {
  register_timed_command(app, ctx, "stop", "Stop services", std::make_shared<TimedFlags>(),
                         [](const model::Project& project, const TimedFlags& f, std::optional<int> timeout,
                            const exec::RunContext& run) { exec::stop(project, f.services, timeout, run); });
}

void register_restart(CLI::App& app, CommandContext& ctx) {
  auto f = std::make_shared<TimedFlags>();
  auto* cmd = register_timed_command(
      app, ctx, "restart", "Restart service containers", f,
      [](const model::Project& project, const TimedFlags& flags, std::optional<int> timeout,
         const exec::RunContext& run) { exec::restart(project, flags.services, {timeout, flags.no_deps}, run); });
  cmd->add_flag("--no-deps", f->no_deps, "Don't restart dependent services (depends_on.restart: true)");
}

}  // namespace berth::cli
