// watch: develop.watch rules applied as files change.
#include <CLI/CLI.hpp>

#include "berth/service/watch.h"
#include "app.h"

namespace berth::cli {

void register_watch(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "watch", "Watch build context for service and rebuild/refresh containers when files are updated");
  auto o = std::make_shared<service::WatchOptions>();
  cmd->add_flag("--no-up", o->no_up, "Do not build & start services before watching");
  cmd->add_flag("--prune", o->prune, "Prune dangling images on rebuild (default true)");
  cmd->add_flag("--quiet", o->quiet, "hide build output");
  cmd->add_option("service", o->services, "Services to watch (default: every service with develop.watch)");
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([o, global, exit_code] { *exit_code = service::watch(*global, *o); });
}

}  // namespace berth::cli
