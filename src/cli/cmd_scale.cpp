#include <CLI/CLI.hpp>

#include "berth/service/lifecycle.h"
#include "app.h"
#include "shared_flags.h"

namespace berth::cli {

void register_scale(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("scale", "Scale services");
  struct Flags {
    std::vector<std::string> arguments;
    bool no_deps = false;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_flag("--no-deps", f->no_deps, "Don't start linked services");
  cmd->add_option("SERVICE=REPLICAS", f->arguments, "Services and their replica counts")->required();
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { service::scale(*global, parse_scale_arguments(f->arguments), f->no_deps); });
}

}  // namespace berth::cli
