#include <CLI/CLI.hpp>

#include "berth/service/listing.h"
#include "app.h"

namespace berth::cli {

void register_ls(CLI::App& app, CommandContext&) {
  auto* cmd = app.add_subcommand("ls", "List running compose projects");
  auto o = std::make_shared<service::LsOptions>();
  cmd->add_flag("-a,--all", o->all, "Show all stopped Compose projects");
  cmd->add_flag("-q,--quiet", o->quiet, "Only display project names");
  cmd->add_option("--format", o->format, "Format the output. Values: [table | json]");
  cmd->add_option("--filter", o->filters, "Filter output based on conditions provided (name=VALUE)")
      ->type_name("KEY=VALUE");
  cmd->callback([o] { service::ls(*o); });
}

}  // namespace berth::cli
