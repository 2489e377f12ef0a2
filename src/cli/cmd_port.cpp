#include <CLI/CLI.hpp>

#include "berth/service/containers.h"
#include "app.h"

namespace berth::cli {

void register_port(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("port", "Print the public port for a port binding");
  auto o = std::make_shared<service::PortOptions>();
  cmd->add_option("--protocol", o->protocol, "tcp or udp")->check(CLI::IsMember({"tcp", "udp", "sctp"}));
  cmd->add_option("--index", o->index, "Index of the container if service has multiple replicas");
  cmd->add_option("service", o->service, "Service")->required();
  cmd->add_option("private_port", o->private_port, "Port inside the container")->required();
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::port(*global, *o); });
}

}  // namespace berth::cli
