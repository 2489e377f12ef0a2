#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"
#include "cli/service_container.h"

namespace berth::cli {
namespace {

struct PortFlags {
  std::string protocol = "tcp";
  int index = 1;
  std::string service;
  std::string private_port;
};

void run_port(const PortFlags& f, const GlobalOptions& global) {
  if (f.private_port.empty() || f.private_port.find_first_not_of("0123456789") != std::string::npos)
    throw Error(ErrorKind::Usage, "invalid port \"" + f.private_port + "\": expected a number");
  auto project = load_project(global, {f.service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  auto target = find_service_container(*engine, project.name, f.service, f.index, /*running=*/false);
  auto json = engine->inspect_container(target.id);
  const std::string key = f.private_port + "/" + f.protocol;
  auto settings = json.value("NetworkSettings", nlohmann::json::object());
  auto ports = settings.value("Ports", nlohmann::json::object());
  auto it = ports.is_object() ? ports.find(key) : ports.end();
  if (ports.is_object() && it != ports.end() && it->is_array() && !it->empty()) {
    const auto& binding = it->front();
    std::cout << binding.value("HostIp", "") << ":" << binding.value("HostPort", "") << "\n";
    return;
  }
  throw Error(ErrorKind::NotFound, "no port " + key + " for container " + target.name);
}

}  // namespace

void register_port(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("port", "Print the public port for a port binding");
  auto f = std::make_shared<PortFlags>();
  cmd->add_option("--protocol", f->protocol, "tcp or udp")->check(CLI::IsMember({"tcp", "udp", "sctp"}));
  cmd->add_option("--index", f->index, "Index of the container if service has multiple replicas");
  cmd->add_option("service", f->service, "Service")->required();
  cmd->add_option("private_port", f->private_port, "Port inside the container")->required();
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { run_port(*f, *global); });
}

}  // namespace berth::cli
