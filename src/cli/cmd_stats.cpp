#include <CLI/CLI.hpp>

#include "berth/service/listing.h"
#include "app.h"

namespace berth::cli {

void register_stats(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("stats", "Display a live stream of container(s) resource usage statistics");
  auto o = std::make_shared<service::StatsOptions>();
  cmd->add_flag("-a,--all", o->all, "Show all containers (default shows just running)");
  cmd->add_flag("--no-stream", o->no_stream, "Disable streaming stats and only pull the first result");
  cmd->add_flag("--no-trunc", o->no_trunc, "Do not truncate output");
  cmd->add_option("--format", o->format,
                  "Format output using a custom template:\n'table': Print output in table format with column headers "
                  "(default)\n'table TEMPLATE': Print output in table format using the given Go template\n'json': "
                  "Print in JSON format\n'TEMPLATE': Print output using the given Go template");
  cmd->add_option("service", o->services, "Services to show (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::stats(*global, *o); });
}

}  // namespace berth::cli
