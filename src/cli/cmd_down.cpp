#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {

void register_down(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("down", "Stop and remove containers, networks");
  struct Flags {
    exec::DownOptions options;
    int timeout = -1;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_flag("-v,--volumes", f->options.volumes,
                "Remove named volumes declared in the \"volumes\" section of the Compose file and anonymous "
                "volumes attached to containers");
  cmd->add_option("--rmi", f->options.rmi,
                  "Remove images used by services. \"local\" remove only images that don't have a custom tag "
                  "(\"local\"|\"all\")")
      ->check(CLI::IsMember({"local", "all"}));
  cmd->add_flag("--remove-orphans", f->options.remove_orphans,
                "Remove containers for services not defined in the Compose file");
  cmd->add_option("-t,--timeout", f->timeout, "Specify a shutdown timeout in seconds")
      ->check(CLI::NonNegativeNumber);
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] {
    if (f->timeout >= 0) f->options.timeout_seconds = f->timeout;
    auto project = load_project(*global, {}, ProjectFiles::Optional);
    LifecycleSession session(*global);
    session.run([&] { exec::down(project, f->options, session.context()); });
  });
}

}  // namespace berth::cli
