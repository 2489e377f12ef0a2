#include <CLI/CLI.hpp>

#include "berth/service/lifecycle.h"
#include "app.h"

namespace berth::cli {

void register_down(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("down", "Stop and remove containers, networks");
  struct Flags {
    plan::DownPlanOptions options;
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
    service::down(*global, f->options);
  });
}

}  // namespace berth::cli
