#include <CLI/CLI.hpp>

#include "berth/service/run.h"
#include "app.h"
#include "command_line.h"
#include "shared_flags.h"

namespace berth::cli {

void register_run(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("run", "Run a one-off command on a service");
  struct Flags {
    service::RunOptions options;
    ImageFlags images;
  };
  auto f = std::make_shared<Flags>();
  auto& o = f->options;
  cmd->add_flag("-d,--detach", o.detach, "Run container in background and print container ID");
  cmd->add_flag("--rm", o.remove, "Automatically remove the container when it exits");
  cmd->add_flag("--no-deps", o.no_deps, "Don't start linked services");
  cmd->add_flag("--remove-orphans", o.remove_orphans, "Remove containers for services not defined in the Compose file");
  cmd->add_flag("-q,--quiet", o.quiet, "Don't print anything to STDOUT");
  cmd->add_flag("-T,--no-TTY,--no-tty", o.no_tty, "Disable pseudo-TTY allocation (default: auto-detected)");
  cmd->add_flag("-i,--interactive", o.interactive, "Keep STDIN open even if not attached (default true)");
  cmd->add_flag("-P,--service-ports", o.service_ports,
                "Run command with all service's ports enabled and mapped to the host");
  cmd->add_flag("--use-aliases", o.use_aliases,
                "Use the service's network useAliases in the network(s) the container connects to");
  cmd->add_option("--env-from-file", o.env_files, "Set environment variables from file")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--name", o.name, "Assign a name to the container");
  cmd->add_option("--entrypoint", o.entrypoint, "Override the entrypoint of the image");
  cmd->add_option("-e,--env", o.env, "Set environment variables")->allow_extra_args(false);
  cmd->add_option("-l,--label", o.labels, "Add or override a label")->allow_extra_args(false);
  cmd->add_option("-u,--user", o.user, "Run as specified username or uid");
  cmd->add_option("-w,--workdir", o.workdir, "Working directory inside the container");
  cmd->add_option("-v,--volume", o.volumes, "Bind mount a volume")->allow_extra_args(false);
  cmd->add_option("-p,--publish", o.publish, "Publish a container's port(s) to the host")->allow_extra_args(false);
  cmd->add_option("--cap-add", o.cap_add, "Add Linux capabilities")->allow_extra_args(false);
  cmd->add_option("--cap-drop", o.cap_drop, "Drop Linux capabilities")->allow_extra_args(false);
  add_image_flags(*cmd, f->images);
  cmd->add_option("service", o.service, "Service to run")->required();
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->fallthrough(false);  // the command's words are not berth's
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([cmd, f, global, exit_code] {
    f->options.command = command_words(*cmd);
    f->options.images = to_image_options(f->images);
    *exit_code = service::run(*global, f->options);
  });
}

}  // namespace berth::cli
