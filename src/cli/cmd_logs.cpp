#include <CLI/CLI.hpp>

#include "berth/service/logs.h"
#include "app.h"

namespace berth::cli {

void register_logs(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("logs", "View output from containers");
  auto o = std::make_shared<service::LogsOptions>();
  cmd->add_flag("-f,--follow", o->follow, "Follow log output");
  cmd->add_flag("--no-color", o->no_color, "Produce monochrome output");
  cmd->add_flag("--no-log-prefix", o->no_log_prefix, "Don't print prefix in logs");
  cmd->add_flag("-t,--timestamps", o->timestamps, "Show timestamps");
  cmd->add_option("-n,--tail", o->tail, "Number of lines to show from the end of the logs for each container");
  cmd->add_option("--since", o->since,
                  "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)");
  cmd->add_option("--until", o->until,
                  "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)");
  cmd->add_option("--index", o->index, "index of the container if service has multiple replicas");
  cmd->add_option("service", o->services, "Services to show (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::logs(*global, *o); });
}

void register_events(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("events", "Receive real time events from containers");
  auto o = std::make_shared<service::EventsOptions>();
  cmd->add_flag("--json", o->json, "Output events as a stream of json objects");
  cmd->add_option("--since", o->since, "Show all events created since timestamp");
  cmd->add_option("--until", o->until, "Stream events until this timestamp");
  cmd->add_option("service", o->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::events(*global, *o); });
}

}  // namespace berth::cli
