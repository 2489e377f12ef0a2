#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>

#include "berth/cli/global_options.h"
#include "berth/engine/cancel_token.h"
#include "berth/engine/docker_engine.h"
#include "berth/ui/log_printer.h"
#include "berth/ui/terminal.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"
#include "cli/project_logs.h"
#include "cli/signal_watch.h"

namespace berth::cli {
namespace {

struct LogsFlags {
  bool follow = false;
  bool no_color = false;
  bool no_log_prefix = false;
  bool timestamps = false;
  std::string tail = "all";
  std::string since;
  std::string until;
  int index = 0;
  std::vector<std::string> services;
};

void run_logs(const LogsFlags& f, const GlobalOptions& global) {
  if (f.tail != "all" && (f.tail.empty() || f.tail.find_first_not_of("0123456789") != std::string::npos)) {
    if (!(f.tail.starts_with("-") && f.tail.size() > 1 &&
          f.tail.find_first_not_of("0123456789", 1) == std::string::npos))
      throw Error(ErrorKind::Usage, "invalid --tail \"" + f.tail + "\": use a number of lines or \"all\"");
  }
  if (f.index < 0) throw Error(ErrorKind::Usage, "--index must be positive");
  auto project = load_project(global, f.services, ProjectFiles::Optional);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  ProjectLogsRequest request;
  request.project = project.name;
  request.services = f.services;
  if (f.index > 0) request.index = f.index;
  request.logs.follow = f.follow;
  // The engine reads a negative tail as "all", as docker does.
  request.logs.tail = f.tail.starts_with("-") ? "all" : f.tail;
  request.logs.since = engine_timestamp(f.since, now);
  request.logs.until = engine_timestamp(f.until, now);
  request.logs.timestamps = f.timestamps;

  ui::LogPrinterOptions options;
  options.prefix = !f.no_log_prefix;
  options.color = !f.no_color && global.ansi != "never" &&
                  (global.ansi == "always" || ui::is_terminal(STDOUT_FILENO));
  ui::FdLogOutput output;
  ui::LogPrinter printer(output, options);
  auto engine = connect_engine();
  if (!f.follow) {
    stream_project_logs(*engine, request, printer);
    return;
  }
  // Ctrl-C is how one stops following: end quietly with 0, every line that
  // arrived printed, as docker compose does.
  engine::CancelToken cancel;
  SignalWatch signals([&](int, int) { cancel.cancel(); });
  try {
    stream_project_logs(*engine, request, printer, &cancel);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Interrupted) throw;
  }
}

}  // namespace

void register_logs(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("logs", "View output from containers");
  auto f = std::make_shared<LogsFlags>();
  cmd->add_flag("-f,--follow", f->follow, "Follow log output");
  cmd->add_flag("--no-color", f->no_color, "Produce monochrome output");
  cmd->add_flag("--no-log-prefix", f->no_log_prefix, "Don't print prefix in logs");
  cmd->add_flag("-t,--timestamps", f->timestamps, "Show timestamps");
  cmd->add_option("-n,--tail", f->tail, "Number of lines to show from the end of the logs for each container");
  cmd->add_option("--since", f->since,
                  "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)");
  cmd->add_option("--until", f->until,
                  "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)");
  cmd->add_option("--index", f->index, "index of the container if service has multiple replicas");
  cmd->add_option("service", f->services, "Services to show (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { run_logs(*f, *global); });
}

}  // namespace berth::cli
