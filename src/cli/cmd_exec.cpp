#include <CLI/CLI.hpp>

#include "berth/service/containers.h"
#include "app.h"
#include "command_line.h"

namespace berth::cli {

void register_exec(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("exec", "Execute a command in a running container");
  auto o = std::make_shared<service::ExecOptions>();
  cmd->add_flag("-d,--detach", o->detach, "Detached mode: Run command in the background");
  cmd->add_flag("--privileged", o->privileged, "Give extended privileges to the process");
  cmd->add_option("-u,--user", o->user, "Run the command as this user");
  cmd->add_flag("-T,--no-TTY,--no-tty", o->no_tty,
                "Disable pseudo-TTY allocation. By default a TTY is allocated when stdin is a terminal");
  cmd->add_flag("-i,--interactive", o->interactive, "Keep STDIN open even if not attached (default true)");
  cmd->add_option("-e,--env", o->env, "Set environment variables")->type_name("KEY=VALUE")->allow_extra_args(false);
  cmd->add_option("-w,--workdir", o->workdir, "Path to workdir directory for this command");
  cmd->add_option("--index", o->index, "Index of the container if service has multiple replicas");
  cmd->add_option("service", o->service, "Service to run the command in")->required();
  // Everything after the service is the command, its flags included.
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->fallthrough(false);  // the command's words are not berth's
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([cmd, o, global, exit_code] {
    o->command = command_words(*cmd);
    *exit_code = service::exec_command(*global, *o);
  });
}

}  // namespace berth::cli
