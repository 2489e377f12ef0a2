#include <CLI/CLI.hpp>

#include "berth/service/listing.h"
#include "app.h"

namespace berth::cli {

void register_volumes(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("volumes", "List volumes");
  auto o = std::make_shared<service::VolumesOptions>();
  cmd->add_flag("-q,--quiet", o->quiet, "Only display volume names");
  cmd->add_option("--format", o->format, "Format the output. Values: [table | json]");
  cmd->add_option("service", o->services, "Services whose volumes to list (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::volumes(*global, *o); });
}

}  // namespace berth::cli
