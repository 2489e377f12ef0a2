// exec, attach, port and top: one service's containers, found by their
// labels, driven over hijacked connections or read.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/service/containers.h"
#include "berth/ui/table.h"
#include "berth/util/error.h"
#include "project_loading.h"
#include "replicas.h"
#include "session.h"
#include "signal_proxy.h"
#include "stream_pump.h"

namespace berth::service {
namespace {

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

}  // namespace

int exec_command(const GlobalOptions& global, const ExecOptions& o) {
  if (o.command.empty()) throw Error(ErrorKind::Usage, "exec: a command is required after the service name");
  auto project = load_project(global, {o.service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  auto target = find_replica(*engine, project.name, o.service, o.index, /*running=*/true);

  engine::ExecOptions options;
  options.cmd = o.command;
  options.env = resolve_environment(o.env);
  options.user = o.user;
  options.working_dir = o.workdir;
  options.privileged = o.privileged;
  // A TTY only when there is a terminal to drive it, like docker compose.
  options.tty = !o.no_tty && !o.detach && ::isatty(STDIN_FILENO);
  options.attach_stdin = o.interactive && !o.detach;
  options.attach_stdout = !o.detach;
  options.attach_stderr = !o.detach;
  const auto exec_id = engine->create_exec(target.id, options);

  engine::ExecStartOptions start;
  start.tty = options.tty;
  start.detach = o.detach;
  auto stream = engine->start_exec(exec_id, start);
  if (o.detach) return 0;

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

int attach(const GlobalOptions& global, const AttachOptions& o) {
  auto project = load_project(global, {o.service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  auto target = find_replica(*engine, project.name, o.service, o.index, /*running=*/true);
  auto config = engine->inspect_container(target.id).value("Config", nlohmann::json::object());
  const bool tty = config.value("Tty", false);
  const bool open_stdin = config.value("OpenStdin", false);

  engine::AttachOptions options;
  options.attach_stdin = !o.no_stdin && open_stdin;
  options.detach_keys = o.detach_keys;
  options.tty = tty;
  auto stream = engine->attach_container(target.id, options);
  PumpOptions pump;
  pump.forward_stdin = options.attach_stdin;
  pump.tty = tty;
  pump.resize = [&](int rows, int columns) { engine->resize_container(target.id, rows, columns); };
  std::optional<SignalProxy> proxy;
  if (o.sig_proxy && !tty) proxy.emplace(project, plan::ContainerRef{target.id, std::nullopt, target.name}, *engine);
  pump_stream(*stream, pump);
  stream.reset();
  proxy.reset();

  auto state = engine->inspect_container(target.id).value("State", nlohmann::json::object());
  if (state.value("Running", false)) return 0;
  return state.value("ExitCode", 0);
}

void port(const GlobalOptions& global, const PortOptions& o) {
  if (o.private_port.empty() || o.private_port.find_first_not_of("0123456789") != std::string::npos)
    throw Error(ErrorKind::Usage, "invalid port \"" + o.private_port + "\": expected a number");
  auto project = load_project(global, {o.service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  auto target = find_replica(*engine, project.name, o.service, o.index, /*running=*/false);
  auto json = engine->inspect_container(target.id);
  const std::string key = o.private_port + "/" + o.protocol;
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

// docker compose's layout: the container's name, its process table, a blank line.
void top(const GlobalOptions& global, const std::vector<std::string>& services) {
  auto project = load_project(global, services, ProjectFiles::Optional);
  auto engine = connect_engine();
  engine::ListContainersOptions options;
  options.filters["label"] = {std::string(model::labels::kProject) + "=" + project.name};
  std::vector<std::pair<std::string, std::string>> targets;  // name, id
  for (const auto& c : engine->list_containers(options)) {
    const auto service = c.label(model::labels::kService);
    if (!services.empty() && std::find(services.begin(), services.end(), service) == services.end()) continue;
    targets.emplace_back(c.name(), c.id);
  }
  std::sort(targets.begin(), targets.end());
  for (const auto& [name, id] : targets) {
    auto top = engine->top_container(id);
    std::cout << name << "\n" << ui::format_table(top.titles, top.processes) << "\n";
  }
}

}  // namespace berth::service
