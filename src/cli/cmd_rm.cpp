#include <CLI/CLI.hpp>

#include "berth/service/lifecycle.h"
#include "app.h"

namespace berth::cli {

void register_rm(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("rm", "Removes stopped service containers");
  struct Flags {
    std::vector<std::string> services;
    plan::RemovePlanOptions options;
    bool force = false;  // berth never asks for confirmation
  };
  auto f = std::make_shared<Flags>();
  cmd->add_flag("-f,--force", f->force, "Don't ask to confirm removal");
  cmd->add_flag("-s,--stop", f->options.stop, "Stop the containers, if required, before removing");
  cmd->add_flag("-v,--volumes", f->options.volumes, "Remove any anonymous volumes attached to containers");
  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { service::remove(*global, f->services, f->options); });
}

}  // namespace berth::cli
