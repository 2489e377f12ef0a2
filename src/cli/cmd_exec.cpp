#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"
#include "cli/service_container.h"
#include "cli/stream_pump.h"

namespace berth::cli {
namespace {

struct ExecFlags {
  bool detach = false;
  bool privileged = false;
  bool no_tty = false;
  bool interactive = true;
  std::string user;
  std::string workdir;
  std::vector<std::string> env;
  int index = 1;
  std::string service;
};

// "-e KEY" takes KEY's value from berth's environment, as docker compose does;
// unset, it is left out.
std::vector<std::string> resolve_environment(const std::vector<std::string>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) {
    if (e.find('=') != std::string::npos) {
      out.push_back(e);
    } else if (const char* value = std::getenv(e.c_str())) {
      out.push_back(e + "=" + value);
    }
  }
  return out;
}

int run_exec(const ExecFlags& f, const std::vector<std::string>& command, const GlobalOptions& global) {
  if (command.empty()) throw Error(ErrorKind::Usage, "exec: a command is required after the service name");
  auto project = load_project(global, {f.service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  auto target = find_service_container(*engine, project.name, f.service, f.index, /*running=*/true);

  engine::ExecOptions options;
  options.cmd = command;
  options.env = resolve_environment(f.env);
  options.user = f.user;
  options.working_dir = f.workdir;
  options.privileged = f.privileged;
  // A TTY only when there is a terminal to drive it, like docker compose.
  options.tty = !f.no_tty && !f.detach && ::isatty(STDIN_FILENO);
  options.attach_stdin = f.interactive && !f.detach;
  options.attach_stdout = !f.detach;
  options.attach_stderr = !f.detach;
  const auto exec_id = engine->create_exec(target.id, options);

  engine::ExecStartOptions start;
  start.tty = options.tty;
  start.detach = f.detach;
  auto stream = engine->start_exec(exec_id, start);
  if (f.detach) return 0;

  PumpOptions pump;
  pump.forward_stdin = options.attach_stdin;
  pump.tty = options.tty;
  pump.resize = [&](int rows, int columns) { engine->resize_exec(exec_id, rows, columns); };
  pump_stream(*stream, pump);
  stream.reset();

  auto result = engine->inspect_exec(exec_id);
  if (!result.exit_code) throw Error(ErrorKind::Engine, "the engine reported no exit code for the command");
  return *result.exit_code;
}

}  // namespace

void register_exec(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("exec", "Execute a command in a running container");
  auto f = std::make_shared<ExecFlags>();
  cmd->add_flag("-d,--detach", f->detach, "Detached mode: Run command in the background");
  cmd->add_flag("--privileged", f->privileged, "Give extended privileges to the process");
  cmd->add_option("-u,--user", f->user, "Run the command as this user");
  cmd->add_flag("-T,--no-TTY", f->no_tty,
                "Disable pseudo-TTY allocation. By default a TTY is allocated when stdin is a terminal");
  cmd->add_flag("-i,--interactive", f->interactive, "Keep STDIN open even if not attached (default true)");
  cmd->add_option("-e,--env", f->env, "Set environment variables")->type_name("KEY=VALUE")->allow_extra_args(false);
  cmd->add_option("-w,--workdir", f->workdir, "Path to workdir directory for this command");
  cmd->add_option("--index", f->index, "Index of the container if service has multiple replicas");
  cmd->add_option("service", f->service, "Service to run the command in")->required();
  // Everything after the service is the command, its flags included.
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->fallthrough(false);  // the command's words are not berth's
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([cmd, f, global, exit_code] { *exit_code = run_exec(*f, cmd->remaining(), *global); });
}

}  // namespace berth::cli
