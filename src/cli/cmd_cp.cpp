#include <CLI/CLI.hpp>

#include "berth/service/containers.h"
#include "app.h"

namespace berth::cli {

void register_cp(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("cp", "Copy files/folders between a service container and the local filesystem");
  auto o = std::make_shared<service::CpOptions>();
  cmd->add_flag("--all", o->all, "Include containers created by the run command");
  cmd->add_flag("-a,--archive", o->archive, "Archive mode (copy all uid/gid information)");
  cmd->add_flag("-L,--follow-link", o->follow_link, "Always follow symbol link in SRC_PATH");
  cmd->add_option("--index", o->index, "Index of the container if service has multiple replicas");
  cmd->add_option("source", o->source, "SERVICE:SRC_PATH, a local path or - (a tar stream on stdin)")->required();
  cmd->add_option("destination", o->destination, "SERVICE:DEST_PATH, a local path or - (a tar stream on stdout)")
      ->required();
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::cp(*global, *o); });
}

}  // namespace berth::cli
