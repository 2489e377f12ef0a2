#pragma once
// A recording in-memory Engine for executor and operations tests: containers,
// networks and volumes live in maps, every call is logged ("create
// demo-web-1", "start demo-web-1", ...), and tests can script failures,
// health check results and call durations.
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "berth/engine/engine.h"
#include "engine/engine_error.h"
#include "berth/util/error.h"

namespace berth::test {

class FakeEngine : public engine::Engine {
 public:
  struct Container {
    std::string id, name, image;
    engine::Labels labels;
    std::string state = "created";
    int exit_code = 0;
    // Health states returned by successive inspects (the last one repeats);
    // empty: no healthcheck.
    std::deque<std::string> health;
    std::string health_output;
    nlohmann::json body;
    // NetworkSettings.Networks as inspect reports it (network -> endpoint).
    nlohmann::json endpoints = nlohmann::json::object();
  };

  // --- scripting
  std::map<std::string, std::string> fail_calls;  // "start demo-web-1" -> the engine's error message (HTTP 500)
  std::map<std::string, std::deque<std::string>> health_by_name;  // set when created
  std::map<std::string, int> exit_on_start;  // name -> exit code: the container stops at once
  // Images the engine resolves by reference though no listed tag matches
  // (Podman's localhost/ prefix): reference -> ID. Others are NotFound.
  std::map<std::string, std::string> resolved_images;
  // Names a create refuses though no listed container has them (Podman's
  // storage-only leftover of a create cut off midway).
  std::set<std::string> names_taken_unlisted;
  std::chrono::milliseconds call_delay{0};
  // As Podman without systemd: a container's health moves on only when
  // run_healthcheck asks, and inspect reports this check interval.
  bool healthchecks_on_request = false;
  std::chrono::nanoseconds healthcheck_interval{std::chrono::milliseconds(1)};

  // --- observations
  std::vector<std::string> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  int max_concurrent() const { return max_concurrent_; }
  std::map<std::string, Container> containers;  // by id
  std::map<std::string, engine::Labels> networks;  // by name
  std::map<std::string, engine::Labels> volumes;   // by name
  std::map<std::string, nlohmann::json> connected;  // "network container-name" -> endpoint config

  Container& add_container(const std::string& name, const engine::Labels& labels, const std::string& state) {
    std::string id = name;
    while (id.size() < 64) id += "0";
    auto& c = containers[id];
    c.id = id;
    c.name = name;
    c.labels = labels;
    c.state = state;
    c.image = "berth-local/busybox:latest";
    return c;
  }
  Container* by_name(const std::string& name) {
    for (auto& [id, c] : containers)
      if (c.name == name) return &c;
    return nullptr;
  }

  // --- Engine
  engine::PingResult ping() override { return {"1.41", "linux", "fake"}; }
  engine::VersionInfo version() override { return {}; }
  nlohmann::json info() override { return nlohmann::json::object(); }
  std::string api_version() override { return "1.41"; }
  void events(const engine::EventsOptions&, const engine::EventSink&, engine::CancelToken*) override { unsupported(); }

  std::vector<engine::ContainerSummary> list_containers(const engine::ListContainersOptions& options) override {
    record("list containers");
    std::lock_guard lock(mutex_);
    std::vector<engine::ContainerSummary> out;
    for (const auto& [id, c] : containers) {
      if (!matches(c.labels, c.name, options.filters)) continue;
      if (!options.all && c.state != "running") continue;
      engine::ContainerSummary s;
      s.id = id;
      s.names = {"/" + c.name};
      s.image = c.image;
      s.image_id = "sha256:busybox";
      s.state = c.state;
      s.status = c.state == "running" ? "Up 1 second" : "Exited (" + std::to_string(c.exit_code) + ")";
      s.labels = c.labels;
      out.push_back(std::move(s));
    }
    return out;
  }
  nlohmann::json inspect_container(const std::string& id) override {
    record("inspect " + name_of(id));
    std::lock_guard lock(mutex_);
    auto& c = find(id);
    nlohmann::json state = {{"Status", c.state}, {"Running", c.state == "running"}, {"ExitCode", c.exit_code}};
    nlohmann::json config = nlohmann::json::object();
    if (!c.health.empty()) {
      std::string h = c.health.front();
      if (c.health.size() > 1 && !healthchecks_on_request) c.health.pop_front();
      config["Healthcheck"] = {{"Interval", healthcheck_interval.count()}};
      state["Health"] = {{"Status", h}, {"Log", {{{"ExitCode", h == "healthy" ? 0 : 1}, {"Output", c.health_output}}}}};
    }
    return {{"Id", c.id},
            {"Name", "/" + c.name},
            {"State", state},
            {"Config", config},
            {"Mounts", nlohmann::json::array()},
            {"NetworkSettings", {{"Networks", c.endpoints}}}};
  }
  bool runs_healthchecks_on_request() override { return healthchecks_on_request; }
  void run_healthcheck(const std::string& id) override {
    record("healthcheck " + name_of(id));
    std::lock_guard lock(mutex_);
    auto& c = find(id);
    if (c.health.size() > 1) c.health.pop_front();
  }
  engine::CreateContainerResult create_container(const std::string& name, const nlohmann::json& body,
                                                 const std::string&) override {
    record("create " + name);
    std::lock_guard lock(mutex_);
    for (const auto& [id, c] : containers)
      if (c.name == name) throw Error(ErrorKind::Conflict, "Conflict. The container name \"/" + name + "\" is already in use");
    if (names_taken_unlisted.count(name))
      throw Error(ErrorKind::Conflict, "the container name \"" + name + "\" is already in use");
    std::string id = name;
    while (id.size() < 64) id += "1";
    auto& c = containers[id];
    c.id = id;
    c.name = name;
    c.body = body;
    c.image = body.value("Image", "");
    for (auto it = body["Labels"].begin(); it != body["Labels"].end(); ++it) c.labels[it.key()] = it->get<std::string>();
    auto script = health_by_name.find(name);
    if (script != health_by_name.end()) c.health = script->second;
    return {id, {}};
  }
  void start_container(const std::string& id) override {
    record("start " + name_of(id));
    std::lock_guard lock(mutex_);
    auto& c = find(id);
    c.state = "running";
    // Renamed containers keep the script of their final name.
    if (auto it = exit_on_start.find(c.name); it != exit_on_start.end()) {
      c.state = "exited";
      c.exit_code = it->second;
    }
  }
  void stop_container(const std::string& id, std::optional<int>) override {
    record("stop " + name_of(id));
    std::lock_guard lock(mutex_);
    find(id).state = "exited";
  }
  void restart_container(const std::string& id, std::optional<int>) override {
    record("restart " + name_of(id));
    std::lock_guard lock(mutex_);
    find(id).state = "running";
  }
  void kill_container(const std::string& id, const std::string& signal) override {
    record("kill " + name_of(id) + " " + signal);
  }
  void pause_container(const std::string& id) override { record("pause " + name_of(id)); }
  void unpause_container(const std::string& id) override { record("unpause " + name_of(id)); }
  void remove_container(const std::string& id, const engine::RemoveContainerOptions&) override {
    record("remove " + name_of(id));
    std::lock_guard lock(mutex_);
    find(id);
    containers.erase(id);
  }
  engine::WaitResult wait_container(const std::string& id, const std::string&, engine::CancelToken*) override {
    record("wait " + name_of(id));
    std::lock_guard lock(mutex_);
    return {find(id).exit_code, ""};
  }
  void rename_container(const std::string& id, const std::string& new_name) override {
    record("rename " + name_of(id) + " " + new_name);
    std::lock_guard lock(mutex_);
    find(id).name = new_name;
  }
  void resize_container(const std::string&, int, int) override { unsupported(); }
  void container_logs(const std::string&, const engine::LogsOptions&, const engine::LogSink&,
                      engine::CancelToken*) override { unsupported(); }
  engine::TopResult top_container(const std::string&, const std::string&) override { unsupported(); }
  void get_archive(const std::string&, const std::string&, const engine::ByteSink&) override { unsupported(); }
  void put_archive(const std::string&, const std::string&, const engine::BodySource&,
                   const engine::PutArchiveOptions&) override { unsupported(); }
  std::unique_ptr<engine::DuplexStream> attach_container(const std::string&, const engine::AttachOptions&,
                                                         engine::CancelToken*) override { unsupported(); }
  std::string create_exec(const std::string&, const engine::ExecOptions&) override { unsupported(); }
  std::unique_ptr<engine::DuplexStream> start_exec(const std::string&, const engine::ExecStartOptions&,
                                                   engine::CancelToken*) override { unsupported(); }
  void resize_exec(const std::string&, int, int) override { unsupported(); }
  engine::ExecInspectResult inspect_exec(const std::string&) override { unsupported(); }

  std::vector<engine::ImageSummary> list_images(const engine::ListImagesOptions&) override {
    record("list images");
    engine::ImageSummary image;
    image.id = "sha256:busybox";
    image.repo_tags = {"berth-local/busybox:latest"};
    return {image};
  }
  nlohmann::json inspect_image(const std::string& name) override {
    record("inspect image " + name);
    if (auto it = resolved_images.find(name); it != resolved_images.end()) return {{"Id", it->second}};
    throw Error(ErrorKind::NotFound, "No such image: " + name);
  }
  nlohmann::json remove_image(const std::string& name, const engine::RemoveImageOptions&) override {
    record("remove image " + name);
    return nlohmann::json::array();
  }
  std::string build_image(const engine::BuildOptions&, const engine::BodySource&, const engine::ProgressSink&,
                          engine::CancelToken*) override { unsupported(); }
  std::unique_ptr<engine::DuplexStream> open_session(const engine::SessionRequest&, engine::CancelToken*) override {
    unsupported();
  }
  void pull_image(const std::string&, const engine::PullOptions&, const engine::ProgressSink&,
                  engine::CancelToken*) override { unsupported(); }
  void push_image(const std::string&, const std::string&, const engine::ProgressSink&,
                  engine::CancelToken*) override { unsupported(); }
  void tag_image(const std::string&, const std::string&, const std::string&) override { unsupported(); }

  std::vector<engine::NetworkSummary> list_networks(const engine::Filters& filters) override {
    record("list networks");
    std::lock_guard lock(mutex_);
    std::vector<engine::NetworkSummary> out;
    for (const auto& [name, labels] : networks)
      if (matches(labels, name, filters)) out.push_back({"id-" + name, name, "bridge", "local", false, false, labels});
    return out;
  }
  nlohmann::json inspect_network(const std::string&) override { unsupported(); }
  std::string create_network(const std::string& name, const nlohmann::json& body) override {
    record("create network " + name);
    std::lock_guard lock(mutex_);
    if (networks.count(name)) throw Error(ErrorKind::Conflict, "network with name " + name + " already exists");
    auto& labels = networks[name];
    for (auto it = body["Labels"].begin(); it != body["Labels"].end(); ++it) labels[it.key()] = it->get<std::string>();
    return "id-" + name;
  }
  void remove_network(const std::string& id) override {
    record("remove network " + id);
    std::lock_guard lock(mutex_);
    networks.erase(id.starts_with("id-") ? id.substr(3) : id);
  }
  void connect_network(const std::string& network, const std::string& container,
                       const nlohmann::json& endpoint) override {
    record("connect " + network + " " + name_of(container));
    std::lock_guard lock(mutex_);
    connected[network + " " + name_of_locked(container)] = endpoint;
  }
  void disconnect_network(const std::string& network, const std::string& container, bool) override {
    record("disconnect " + network + " " + name_of(container));
  }

  std::vector<engine::VolumeSummary> list_volumes(const engine::Filters& filters) override {
    record("list volumes");
    std::lock_guard lock(mutex_);
    std::vector<engine::VolumeSummary> out;
    for (const auto& [name, labels] : volumes)
      if (matches(labels, name, filters)) out.push_back({name, "local", "", "local", "", labels});
    return out;
  }
  nlohmann::json inspect_volume(const std::string&) override { unsupported(); }
  engine::VolumeSummary create_volume(const std::string& name, const nlohmann::json& body) override {
    record("create volume " + name);
    std::lock_guard lock(mutex_);
    auto& labels = volumes[name];
    for (auto it = body["Labels"].begin(); it != body["Labels"].end(); ++it) labels[it.key()] = it->get<std::string>();
    return {name, "local", "", "local", "", labels};
  }
  void remove_volume(const std::string& name, bool) override {
    record("remove volume " + name);
    std::lock_guard lock(mutex_);
    volumes.erase(name);
  }

 private:
  [[noreturn]] static void unsupported() { throw Error(ErrorKind::Internal, "not supported by the fake engine"); }

  static bool matches(const engine::Labels& labels, const std::string& name, const engine::Filters& filters) {
    for (const auto& [key, values] : filters)
      for (const auto& v : values) {
        if (key == "label") {
          auto eq = v.find('=');
          auto it = labels.find(v.substr(0, eq));
          if (it == labels.end() || (eq != std::string::npos && it->second != v.substr(eq + 1))) return false;
        } else if (key == "name") {
          std::string want = v;
          if (want.starts_with("^/")) want = want.substr(2);
          if (want.ends_with("$")) want.pop_back();
          if (name != want) return false;
        }
      }
    return true;
  }

  // Logs the call and holds it for call_delay, counting how many overlap.
  void record(const std::string& call) {
    {
      std::lock_guard lock(mutex_);
      calls_.push_back(call);
    }
    int now = ++concurrent_;
    int seen = max_concurrent_;
    while (now > seen && !max_concurrent_.compare_exchange_weak(seen, now)) {
    }
    if (call_delay.count() > 0) std::this_thread::sleep_for(call_delay);
    --concurrent_;
    std::lock_guard lock(mutex_);
    // Typed as the real engine client types the engine's answer.
    if (auto it = fail_calls.find(call); it != fail_calls.end())
      throw Error(engine::error_kind(500, it->second), it->second);
  }

  std::string name_of(const std::string& id) {
    std::lock_guard lock(mutex_);
    return name_of_locked(id);
  }
  std::string name_of_locked(const std::string& id) {
    auto it = containers.find(id);
    return it == containers.end() ? id : it->second.name;
  }

  Container& find(const std::string& id) {
    auto it = containers.find(id);
    if (it == containers.end()) throw Error(ErrorKind::NotFound, "No such container: " + id);
    return it->second;
  }

  std::mutex mutex_;
  std::vector<std::string> calls_;
  std::atomic<int> concurrent_{0};
  std::atomic<int> max_concurrent_{0};
};

}  // namespace berth::test
