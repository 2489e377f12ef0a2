#include <CLI/CLI.hpp>

#include "berth/service/listing.h"
#include "app.h"

namespace berth::cli {

void register_ps(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("ps", "List containers");
  auto o = std::make_shared<service::PsOptions>();
  cmd->add_flag("-a,--all", o->all, "Show all stopped containers (including those created by the run command)");
  cmd->add_flag("-q,--quiet", o->quiet, "Only display IDs");
  cmd->add_flag("--services", o->services_only, "Display services");
  cmd->add_flag("--no-trunc", o->no_trunc, "Don't truncate output");
  cmd->add_flag("--orphans", o->orphans, "Include orphaned services (not declared by project) (default true)");
  cmd->add_option("--status", o->status,
                  "Filter services by status. Values: [paused | restarting | removing | running | dead | created | "
                  "exited]")
      ->type_name("STATUS");
  cmd->add_option("--filter", o->filters, "Filter services by a property (supported filters: status)")
      ->type_name("KEY=VALUE");
  cmd->add_option("--format", o->format,
                  "Format the output: table (default), json, or a Go template (\"{{.Name}}\\t{{.Status}}\", "
                  "\"table {{.Name}}\\t{{.Ports}}\")");
  cmd->add_option("service", o->services, "Services to list (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::ps(*global, *o); });
}

}  // namespace berth::cli
