// `berth run`: a one-off container of a service, created from the service's
// model with the command-line overrides applied to its canonical JSON, so the
// container gets exactly what `up` would give it (policy, labels, networks)
// plus com.docker.compose.oneoff=True.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/exec/container_spec.h"
#include "berth/exec/operations.h"
#include "berth/loader/canonical.h"
#include "berth/loader/dotenv.h"
#include "berth/model/config_hash.h"
#include "berth/model/project.h"
#include "berth/plan/observe.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/image_flags.h"
#include "cli/lifecycle_session.h"
#include "cli/signal_watch.h"
#include "cli/stream_pump.h"

namespace berth::cli {
namespace {

struct RunFlags {
  bool detach = false;
  bool remove = false;
  bool no_deps = false;
  bool no_tty = false;
  bool interactive = true;
  bool service_ports = false;
  bool use_aliases = false;
  std::vector<std::string> env_files;
  std::string name;
  std::optional<std::string> entrypoint;
  std::vector<std::string> env;
  std::vector<std::string> labels;
  std::string user;
  std::string workdir;
  std::vector<std::string> volumes;
  std::vector<std::string> publish;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  std::string service;
  ImageFlags images;
};

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

// The overrides of `berth run` applied to the service's canonical JSON.
void apply_overrides(nlohmann::json& s, const RunFlags& f, const std::vector<std::string>& command,
                     const std::string& project_dir, bool tty) {
  if (!command.empty()) s["command"] = command;
  if (f.entrypoint) {
    if (f.entrypoint->empty()) s["entrypoint"] = nlohmann::json::array();
    else s["entrypoint"] = loader::split_shell_words(*f.entrypoint);
    if (command.empty()) s.erase("command");  // docker compose: a new entrypoint drops the image's command too
  }
  // --env-from-file first, so that -e wins over them, as in docker compose.
  for (const auto& file : f.env_files) {
    auto lookup = [](const std::string& name) -> std::optional<std::string> {
      if (const char* value = std::getenv(name.c_str())) return std::string(value);
      return std::nullopt;
    };
    for (const auto& [key, value] : loader::read_dotenv_file(file, lookup)) s["environment"][key] = value;
  }
  for (const auto& e : f.env) {
    auto eq = e.find('=');
    if (eq != std::string::npos) {
      s["environment"][e.substr(0, eq)] = e.substr(eq + 1);
    } else if (const char* value = std::getenv(e.c_str())) {
      s["environment"][e] = value;
    }
  }
  for (const auto& l : f.labels) {
    auto eq = l.find('=');
    s["labels"][l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  if (!f.user.empty()) s["user"] = f.user;
  if (!f.workdir.empty()) s["working_dir"] = f.workdir;
  for (const auto& v : f.volumes) {
    auto volume = loader::parse_volume_spec(v);
    if (volume.value("type", "") == "bind") {
      std::filesystem::path source = volume.value("source", "");
      if (source.is_relative()) volume["source"] = (std::filesystem::path(project_dir) / source).lexically_normal().string();
    }
    if (!s["volumes"].is_array()) s["volumes"] = nlohmann::json::array();
    s["volumes"].push_back(volume);
  }
  // One-off containers publish the service's ports only when asked to.
  if (!f.service_ports) s.erase("ports");
  for (const auto& p : f.publish) {
    if (!s["ports"].is_array()) s["ports"] = nlohmann::json::array();
    for (auto& port : loader::parse_port_spec(p)) s["ports"].push_back(port);
  }
  if (!f.cap_add.empty()) append_unique(s["cap_add"], f.cap_add);
  if (!f.cap_drop.empty()) append_unique(s["cap_drop"], f.cap_drop);
  s["tty"] = tty;
  s["stdin_open"] = f.interactive;
  s.erase("restart");  // a one-off is never restarted
  s.erase("container_name");
  s.erase("deploy");
  s.erase("scale");
}

// The service's image (built or pulled as needed), the security policy, then
// networks, volumes and (unless --no-deps) the dependencies, through `up` on
// a stand-in copy of the service scaled to zero: everything it needs is
// converged and none of the service's own containers is touched.
void prepare_dependencies(model::Project& project, const std::string& service_name, bool no_deps,
                          const exec::ImageOptions& images, const GlobalOptions& global) {
  LifecycleSession session(global);
  session.run([&] {
    prepare_for_containers(project, {service_name}, no_deps, images, session.context(), global);
    model::Project staged = project;
    model::Service stand_in = *project.find_service(service_name);
    stand_in.name = service_name + "-berth-run";
    if (no_deps) {
      stand_in.depends_on.clear();
      (*stand_in.json).erase("depends_on");
    }
    staged.services.push_back(stand_in);
    exec::UpOptions options;
    options.services = {stand_in.name};
    options.scale[stand_in.name] = 0;
    options.recreate = exec::RecreatePolicy::Never;
    exec::up(staged, options, session.context());
  });
}

std::string running_container_of(engine::Engine& engine, const model::Project& project, const std::string& service) {
  for (const auto& c : plan::observe(engine, project.name).containers)
    if (c.service == service && !c.oneoff && c.running()) return c.id;
  const model::Service* s = project.find_service(service);
  if (s && s->container_name) return *s->container_name;
  return project.name + "-" + service + "-1";
}

int run_run(const RunFlags& f, const std::vector<std::string>& command, const GlobalOptions& global) {
  if (f.detach && f.remove) {
    // docker compose allows it (the engine removes the container when it stops).
  }
  auto images = to_image_options(f.images);
  auto project = load_project(global, {f.service}, ProjectFiles::Required);
  if (!project.find_service(f.service)) throw Error(ErrorKind::Usage, "no such service: " + f.service);
  prepare_dependencies(project, f.service, f.no_deps, images, global);
  if (global.dry_run) {
    // The images and dependencies above were only planned: nothing to run.
    std::cerr << "DRY-RUN run a one-off container of service " << f.service << "\n";
    return 0;
  }
  const model::Service* original = project.find_service(f.service);

  const bool tty = !f.no_tty && !f.detach && ::isatty(STDIN_FILENO);
  model::Service service = *original;
  apply_overrides(*service.json, f, command, project.working_dir, tty);
  service.bind();


  auto engine = connect_engine();
  exec::ContainerIdentity identity;
  identity.name = f.name.empty() ? project.name + "-" + f.service + "-run-" + random_suffix() : f.name;
  identity.number = 1;
  identity.oneoff = true;
  identity.config_hash = model::config_hash(service);
  exec::SpecOptions spec_options;
  spec_options.api_version = engine->api_version();
  spec_options.resolve_service = [&](const std::string& other) {
    return running_container_of(*engine, project, other);
  };
  auto spec = exec::container_spec(project, service, identity, spec_options);
  for (const auto& w : spec.warnings) std::cerr << "WARN service \"" << f.service << "\": " << w << "\n";
  auto& body = *spec.body;
  body["AttachStdin"] = f.interactive && !f.detach;
  body["AttachStdout"] = !f.detach;
  body["AttachStderr"] = !f.detach;
  body["OpenStdin"] = f.interactive && !f.detach;
  body["StdinOnce"] = f.interactive && !f.detach;
  if (f.detach && f.remove) body["HostConfig"]["AutoRemove"] = true;
  // A one-off container answers to the service's network aliases only with
  // --use-aliases, as in docker compose (else `web` keeps resolving to the
  // service's own containers).
  if (!f.use_aliases) {
    auto networking = body.find("NetworkingConfig");
    if (networking != body.end() && networking->contains("EndpointsConfig"))
      for (auto& [_, endpoint] : (*networking)["EndpointsConfig"].items())
        if (endpoint.is_object()) endpoint.erase("Aliases");
    for (auto& attachment : spec.connect_after_create)
      if (attachment.endpoint->is_object()) attachment.endpoint->erase("Aliases");
  }

  const auto id = engine->create_container(spec.name, body, spec.platform).id;
  for (const auto& attachment : spec.connect_after_create)
    engine->connect_network(attachment.network, id, *attachment.endpoint);

  if (f.detach) {
    engine->start_container(id);
    std::cout << spec.name << "\n";
    return 0;
  }

  auto remove = [&] {
    if (!f.remove) return;
    try {
      engine->remove_container(id, {.force = true, .volumes = true});
    } catch (const Error&) {
      // Already gone.
    }
  };
  try {
    engine::AttachOptions attach;
    attach.attach_stdin = f.interactive;
    attach.tty = tty;
    auto stream = engine->attach_container(id, attach);
    // Without a TTY, SIGINT and SIGTERM go to the container's process, as
    // docker run's signal proxy does; the container decides how to end and
    // its exit code is berth's. (With a TTY, Ctrl-C is a key for the
    // container's terminal.)
    std::optional<SignalWatch> proxy;
    if (!tty)
      proxy.emplace([&](int signal, int) {
        try {
          engine->kill_container(id, signal == SIGINT ? "SIGINT" : "SIGTERM");
        } catch (const Error&) {
          // Already stopped: nothing to forward to.
        }
      });
    engine->start_container(id);
    PumpOptions pump;
    pump.forward_stdin = f.interactive;
    pump.tty = tty;
    pump.resize = [&](int rows, int columns) { engine->resize_container(id, rows, columns); };
    pump_stream(*stream, pump);
    stream.reset();
    auto result = engine->wait_container(id);
    remove();
    if (!result.error.empty()) throw Error(ErrorKind::Engine, result.error);
    return result.status_code;
  } catch (...) {
    remove();
    throw;
  }
}

}  // namespace

void register_run(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("run", "Run a one-off command on a service");
  auto f = std::make_shared<RunFlags>();
  cmd->add_flag("-d,--detach", f->detach, "Run container in background and print container ID");
  cmd->add_flag("--rm", f->remove, "Automatically remove the container when it exits");
  cmd->add_flag("--no-deps", f->no_deps, "Don't start linked services");
  cmd->add_flag("-T,--no-TTY", f->no_tty,
                "Disable pseudo-TTY allocation (default: auto-detected)");
  cmd->add_flag("-i,--interactive", f->interactive, "Keep STDIN open even if not attached (default true)");
  cmd->add_flag("-P,--service-ports", f->service_ports,
                "Run command with all service's ports enabled and mapped to the host");
  cmd->add_flag("--use-aliases", f->use_aliases,
                "Use the service's network useAliases in the network(s) the container connects to");
  cmd->add_option("--env-from-file", f->env_files, "Set environment variables from file")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--name", f->name, "Assign a name to the container");
  cmd->add_option("--entrypoint", f->entrypoint, "Override the entrypoint of the image");
  cmd->add_option("-e,--env", f->env, "Set environment variables")->allow_extra_args(false);
  cmd->add_option("-l,--label", f->labels, "Add or override a label")->allow_extra_args(false);
  cmd->add_option("-u,--user", f->user, "Run as specified username or uid");
  cmd->add_option("-w,--workdir", f->workdir, "Working directory inside the container");
  cmd->add_option("-v,--volume", f->volumes, "Bind mount a volume")->allow_extra_args(false);
  cmd->add_option("-p,--publish", f->publish, "Publish a container's port(s) to the host")->allow_extra_args(false);
  cmd->add_option("--cap-add", f->cap_add, "Add Linux capabilities")->allow_extra_args(false);
  cmd->add_option("--cap-drop", f->cap_drop, "Drop Linux capabilities")->allow_extra_args(false);
  add_image_flags(*cmd, f->images);
  cmd->add_option("service", f->service, "Service to run")->required();
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->fallthrough(false);  // the command's words are not berth's
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([cmd, f, global, exit_code] { *exit_code = run_run(*f, cmd->remaining(), *global); });
}

}  // namespace berth::cli
