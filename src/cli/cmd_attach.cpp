#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"
#include "cli/service_container.h"
#include "cli/stream_pump.h"

namespace berth::cli {
namespace {

struct AttachFlags {
  bool no_stdin = false;
  std::string detach_keys;
  int index = 1;
  std::string service;
};

// Returns the container's exit code once it stopped, 0 when only the
// stream ended (detached with the detach keys).
int run_attach(const AttachFlags& f, const GlobalOptions& global) {
  auto project = load_project(global, {f.service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  auto target = find_service_container(*engine, project.name, f.service, f.index, /*running=*/true);
  auto config = engine->inspect_container(target.id).value("Config", nlohmann::json::object());
  const bool tty = config.value("Tty", false);
  const bool open_stdin = config.value("OpenStdin", false);

  engine::AttachOptions options;
  options.attach_stdin = !f.no_stdin && open_stdin;
  options.detach_keys = f.detach_keys;
  options.tty = tty;
  auto stream = engine->attach_container(target.id, options);
  PumpOptions pump;
  pump.forward_stdin = options.attach_stdin;
  pump.tty = tty;
  pump.resize = [&](int rows, int columns) { engine->resize_container(target.id, rows, columns); };
  pump_stream(*stream, pump);
  stream.reset();

  auto state = engine->inspect_container(target.id).value("State", nlohmann::json::object());
  if (state.value("Running", false)) return 0;
  return state.value("ExitCode", 0);
}

}  // namespace

void register_attach(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("attach", "Attach local standard input, output, and error streams to a service's running container");
  auto f = std::make_shared<AttachFlags>();
  cmd->add_flag("--no-stdin", f->no_stdin, "Do not attach STDIN");
  cmd->add_option("--detach-keys", f->detach_keys, "Override the key sequence for detaching from a container");
  cmd->add_option("--index", f->index, "index of the container if service has multiple replicas");
  cmd->add_option("service", f->service, "Service")->required();
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([f, global, exit_code] { *exit_code = run_attach(*f, *global); });
}

}  // namespace berth::cli
