#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {

void register_stop(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("stop", "Stop services");
  struct Flags {
    std::vector<std::string> services;
    int timeout = -1;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_option("-t,--timeout", f->timeout, "Specify a shutdown timeout in seconds")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] {
    auto project = load_project(*global, f->services, ProjectFiles::Optional);
    LifecycleSession session(*global);
    session.run([&] {
      exec::stop(project, f->services, f->timeout >= 0 ? std::optional<int>(f->timeout) : std::nullopt,
                 session.context());
    });
  });
}

}  // namespace berth::cli
