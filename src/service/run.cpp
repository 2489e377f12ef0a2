// `berth run`: the service's model with the command-line overrides applied
// to its canonical JSON, planned with its dependencies (plan::plan_run) and
// created by the executor; attached, its streams are connected before it is
// started (another one-action plan), and --rm removes it the same way.
#include "berth/service/run.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "berth/engine/engine.h"
#include "berth/loader/short_syntax.h"
#include "berth/loader/dotenv.h"
#include "berth/model/project.h"
#include "berth/plan/lifecycle.h"
#include "berth/plan/reconcile.h"
#include "berth/service/global_options.h"
#include "berth/ui/quiet_progress.h"
#include "berth/util/error.h"
#include "operations.h"
#include "prepare.h"
#include "project_loading.h"
#include "session.h"
#include "signal_proxy.h"
#include "stream_pump.h"

namespace berth::service {
namespace {

std::string random_suffix() {
  std::random_device device;
  std::mt19937_64 generator(device());
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 12; ++i) out += digits[generator() % 16];
  return out;
}

void append_unique(nlohmann::json& list, const std::vector<std::string>& values) {
  if (!list.is_array()) list = nlohmann::json::array();
  for (const auto& v : values)
    if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
}

std::optional<std::string> from_environment(const std::string& name) {
  if (const char* value = std::getenv(name.c_str())) return std::string(value);
  return std::nullopt;
}

// The overrides of `berth run` applied to the service's canonical JSON.
void apply_overrides(nlohmann::json& s, const RunOptions& o, const std::string& project_dir, bool tty) {
  if (!o.command.empty()) s["command"] = o.command;
  if (o.entrypoint) {
    if (o.entrypoint->empty()) s["entrypoint"] = nlohmann::json::array();
    else s["entrypoint"] = loader::split_shell_words(*o.entrypoint);
    if (o.command.empty()) s.erase("command");  // docker compose: a new entrypoint drops the image's command too
  }
  // --env-from-file first, so that -e wins over them, as in docker compose.
  for (const auto& file : o.env_files)
    for (const auto& [key, value] : loader::read_dotenv_file(file, from_environment)) s["environment"][key] = value;
  for (const auto& e : o.env) {
    auto eq = e.find('=');
    if (eq != std::string::npos) s["environment"][e.substr(0, eq)] = e.substr(eq + 1);
    else if (auto value = from_environment(e)) s["environment"][e] = *value;
  }
  for (const auto& l : o.labels) {
    auto eq = l.find('=');
    s["labels"][l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  if (!o.user.empty()) s["user"] = o.user;
  if (!o.workdir.empty()) s["working_dir"] = o.workdir;
  for (const auto& v : o.volumes) {
    auto volume = loader::parse_volume_spec(v);
    if (volume.value("type", "") == "bind") {
      std::filesystem::path source = volume.value("source", "");
      if (source.is_relative())
        volume["source"] = (std::filesystem::path(project_dir) / source).lexically_normal().string();
    }
    if (!s["volumes"].is_array()) s["volumes"] = nlohmann::json::array();
    s["volumes"].push_back(volume);
  }
  // One-off containers publish the service's ports only when asked to.
  if (!o.service_ports) s.erase("ports");
  for (const auto& p : o.publish) {
    if (!s["ports"].is_array()) s["ports"] = nlohmann::json::array();
    for (auto& port : loader::parse_port_spec(p)) s["ports"].push_back(port);
  }
  if (!o.cap_add.empty()) append_unique(s["cap_add"], o.cap_add);
  if (!o.cap_drop.empty()) append_unique(s["cap_drop"], o.cap_drop);
  s["tty"] = tty;
  s["stdin_open"] = o.interactive;
  s.erase("restart");  // a one-off is never restarted
  s.erase("container_name");
  s.erase("deploy");
  s.erase("scale");
}

model::Service& service_in(model::Project& project, const std::string& name) {
  for (auto& s : project.services)
    if (s.name == name) return s;
  throw Error(ErrorKind::Usage, "no such service: " + name);
}

// The one-off's streams connected to berth's, then the container started,
// followed to its end and (--rm) removed. Its life changes go through
// one-action plans, reported nowhere: the terminal is the container's now.
int run_attached(const model::Project& project, const RunOptions& o, bool tty, const plan::ContainerRef& oneoff,
                 engine::Engine& engine) {
  ui::QuietProgress quiet;
  const RunContext ctx{engine, quiet, -1, false, {}};
  auto change = [&](plan::ActionKind kind, const std::string& signal = {}) {
    run_plan(plan::plan_container(kind, oneoff, signal), project, ctx);
  };
  auto remove = [&] {
    if (!o.remove) return;
    try {
      change(plan::ActionKind::RemoveContainer);
    } catch (const Error&) {
      // Gone already, or the engine went away: nothing left to clean here.
    }
  };
  try {
    engine::AttachOptions attach;
    attach.attach_stdin = o.interactive;
    attach.tty = tty;
    auto stream = engine.attach_container(oneoff.id, attach);
    std::optional<SignalProxy> proxy;
    if (!tty) proxy.emplace(project, oneoff, engine);
    change(plan::ActionKind::StartContainer);
    PumpOptions pump;
    pump.forward_stdin = o.interactive;
    pump.tty = tty;
    pump.resize = [&](int rows, int columns) { engine.resize_container(oneoff.id, rows, columns); };
    pump_stream(*stream, pump);
    stream.reset();
    auto result = engine.wait_container(oneoff.id);
    remove();
    if (!result.error.empty()) throw Error(ErrorKind::Engine, result.error);
    return result.status_code;
  } catch (...) {
    remove();
    throw;
  }
}

}  // namespace

int run(const GlobalOptions& global, const RunOptions& o) {
  auto project = load_project(global, {o.service}, ProjectFiles::Required);
  const bool tty = !o.no_tty && !o.detach && ::isatty(STDIN_FILENO);
  plan::RunPlanOptions planned;
  planned.service = o.service;
  planned.name = o.name.empty() ? project.name + "-" + o.service + "-run-" + random_suffix() : o.name;
  planned.no_deps = o.no_deps;
  planned.remove_orphans = o.remove_orphans;
  planned.start = o.detach;
  planned.oneoff.tty = tty;
  planned.oneoff.stdin_open = o.interactive;
  planned.oneoff.attached = !o.detach;
  planned.oneoff.auto_remove = o.detach && o.remove;
  planned.oneoff.keep_aliases = o.use_aliases;

  std::string id;
  {
    Session session(global, o.quiet ? SessionOutput::Quiet : SessionOutput::Progress);
    ImageOptions images = o.images;
    images.quiet_pull = images.quiet_pull || o.quiet;
    images.quiet_build = images.quiet_build || o.quiet;
    session.run([&] {
      prepare_containers(project, {o.service}, o.no_deps, images, session.context(), global);
      // The overrides go on top of what the policy set: they are the user's words.
      model::Service& service = service_in(project, o.service);
      apply_overrides(*service.json, o, project.working_dir, tty);
      service.bind();
      id = converge_oneoff(project, planned, session.context());
    });
  }
  if (global.dry_run) {
    std::cerr << "DRY-RUN run a one-off container of service " << o.service << "\n";
    return 0;
  }
  if (o.detach) {
    std::cout << planned.name << "\n";
    return 0;
  }
  // From here on the terminal and the signals are the container's.
  auto engine = connect_engine();
  return run_attached(project, o, tty, {id, std::nullopt, planned.name}, *engine);
}

}  // namespace berth::service
