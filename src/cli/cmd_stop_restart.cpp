// stop and restart: service names plus a shutdown timeout.
#include <CLI/CLI.hpp>
#include <optional>

#include "berth/service/lifecycle.h"
#include "app.h"

namespace berth::cli {
namespace {

struct TimedFlags {
  std::vector<std::string> services;
  int timeout = -1;
  bool no_deps = false;  // restart only

  std::optional<int> timeout_seconds() const { return timeout >= 0 ? std::optional<int>(timeout) : std::nullopt; }
};

std::shared_ptr<TimedFlags> add_timed_flags(CLI::App& cmd) {
  auto f = std::make_shared<TimedFlags>();
  cmd.add_option("-t,--timeout", f->timeout, "Specify a shutdown timeout in seconds")->check(CLI::NonNegativeNumber);
  cmd.add_option("service", f->services, "Services (default: all)");
  return f;
}

}  // namespace

void register_stop(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("stop", "Stop services");
  auto f = add_timed_flags(*cmd);
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { service::stop(*global, f->services, f->timeout_seconds()); });
}

void register_restart(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("restart", "Restart service containers");
  auto f = add_timed_flags(*cmd);
  cmd->add_flag("--no-deps", f->no_deps, "Don't restart dependent services (depends_on.restart: true)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { service::restart(*global, f->services, f->timeout_seconds(), f->no_deps); });
}

}  // namespace berth::cli
