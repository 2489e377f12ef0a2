#include <CLI/CLI.hpp>

#include "berth/service/containers.h"
#include "app.h"

namespace berth::cli {

void register_attach(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("attach",
                                 "Attach local standard input, output, and error streams to a service's running container");
  auto o = std::make_shared<service::AttachOptions>();
  cmd->add_flag("--no-stdin", o->no_stdin, "Do not attach STDIN");
  cmd->add_flag("--sig-proxy", o->sig_proxy, "Proxy all received signals to the process (default true)");
  cmd->add_option("--detach-keys", o->detach_keys, "Override the key sequence for detaching from a container");
  cmd->add_option("--index", o->index, "index of the container if service has multiple replicas");
  cmd->add_option("service", o->service, "Service")->required();
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([o, global, exit_code] { *exit_code = service::attach(*global, *o); });
}

}  // namespace berth::cli
