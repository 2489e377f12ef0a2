#include <CLI/CLI.hpp>

#include "berth/service/listing.h"
#include "app.h"

namespace berth::cli {

void register_images(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("images", "List images used by the created containers");
  auto o = std::make_shared<service::ImagesOptions>();
  cmd->add_option("--format", o->format, "Format the output. Values: [table | json]");
  cmd->add_flag("-q,--quiet", o->quiet, "Only display IDs");
  cmd->add_option("service", o->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::images(*global, *o); });
}

}  // namespace berth::cli
