#include "berth/exec/executor.h"

#include <algorithm>
#include <functional>
#include <string_view>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "berth/engine/engine.h"
#include "berth/exec/hooks.h"
#include "anonymous_volumes.h"
#include "container_spec.h"
#include "resource_spec.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/plan/plan.h"
#include "berth/ui/progress.h"
#include "berth/util/error.h"
#include "berth/util/rfc3339.h"

namespace berth::exec {
namespace {

using nlohmann::json;
using plan::Action;
using plan::ActionKind;
using ui::ProgressState;
namespace L = model::labels;

struct Wording {
  const char* working;
  const char* done;
};

Wording wording(const Action& a) {
  switch (a.kind) {
    case ActionKind::CreateNetwork:
    case ActionKind::CreateVolume: return {"Creating", "Created"};
    case ActionKind::CreateContainer: return a.recreate ? Wording{"Recreate", "Recreated"} : Wording{"Creating", "Created"};
    case ActionKind::RenameContainer: return {"Recreate", "Recreated"};
    case ActionKind::StartContainer: return {"Starting", "Started"};
    case ActionKind::StopContainer: return {"Stopping", "Stopped"};
    case ActionKind::RemoveContainer:
    case ActionKind::RemoveNetwork:
    case ActionKind::RemoveVolume:
    case ActionKind::RemoveImage: return {"Removing", "Removed"};
    case ActionKind::RestartContainer: return {"Restarting", "Restarted"};
    case ActionKind::KillContainer: return {"Killing", "Killed"};
    case ActionKind::PauseContainer: return {"Pausing", "Paused"};
    case ActionKind::UnpauseContainer: return {"Unpausing", "Unpaused"};
    case ActionKind::DisconnectNetwork: return {"Disconnecting", "Disconnected"};
    case ActionKind::ConnectNetwork: return {"Connecting", "Connected"};
    case ActionKind::WaitContainers: return {"Waiting", "Healthy"};
  }
  return {"Working", "Done"};
}

std::string resource_of(const Action& a) {
  switch (a.kind) {
    case ActionKind::CreateNetwork:
    case ActionKind::RemoveNetwork: return "Network " + a.target;
    case ActionKind::CreateVolume:
    case ActionKind::RemoveVolume: return "Volume " + a.target;
    case ActionKind::RemoveImage: return "Image " + a.target;
    // The temporary name of a recreate is an implementation detail: report
    // it under the container it replaces, on the same line as "Recreated".
    case ActionKind::CreateContainer:
      if (a.recreate && a.replaces) return "Container " + a.replaces->name;
      return "Container " + a.target;
    default: return "Container " + a.target;
  }
}

// How an action ended when it did not fail.
enum class Outcome { Done, InUse };

class Runner {
 public:
  Runner(const plan::Plan& plan, const model::Project& project, engine::Engine& engine, ui::ProgressSink& progress,
         const ExecuteOptions& options)
      : plan_(plan), project_(project), engine_(engine), progress_(progress), options_(options),
        kinds_(plan.actions.size(), ErrorKind::Engine) {
    result_.created.resize(plan.actions.size());
  }

  ExecuteResult run() {
    for (const auto& c : plan_.up_to_date) progress_.event({"Container " + c.name, "Running", ProgressState::Done, ""});
    plan::WalkOptions walk_options;
    walk_options.parallelism = options_.parallelism;
    walk_options.stop_requested = [this] { return interrupted(); };
    auto result = plan::walk(plan_.graph, walk_options, [this](size_t node) { visit(node); });

    if (!result.failures.empty()) {
      std::string message;
      for (const auto& f : result.failures) {
        if (!message.empty()) message += "\n";
        message += f.message;
      }
      ErrorKind kind = kinds_[result.failures.front().node];
      throw Error(kind, message);
    }
    if (!result.skipped.empty())
      throw Error(ErrorKind::Interrupted, "interrupted: " + std::to_string(result.skipped.size()) +
                                              " of " + std::to_string(plan_.actions.size()) +
                                              " actions were not started; run the command again to converge");
    return std::move(result_);
  }

 private:
  bool interrupted() const { return options_.interrupted && options_.interrupted(); }

  void visit(size_t node) {
    const Action& a = plan_.actions[node];
    Wording words = wording(a);
    const bool report = !a.quiet && a.kind != ActionKind::WaitContainers;
    if (report && !(a.kind == ActionKind::RenameContainer && a.recreate))
      progress_.event({resource_of(a), words.working, ProgressState::Working, a.reason});
    Outcome outcome = Outcome::Done;
    try {
      outcome = tolerated(a, [&] { perform(node, a); });
    } catch (const Error& e) {
      kinds_[node] = e.kind();
      std::string message = describe_failure(a, e.message());
      progress_.event({resource_of(a), "Error", ProgressState::Error, e.message()});
      throw Error(e.kind(), message);
    } catch (const std::exception& e) {
      kinds_[node] = ErrorKind::Internal;
      progress_.event({resource_of(a), "Error", ProgressState::Error, e.what()});
      throw Error(ErrorKind::Internal, describe_failure(a, e.what()));
    }
    if (outcome == Outcome::InUse)
      progress_.event({resource_of(a), "Resource is still in use", ProgressState::Warning, ""});
    else if (report && !(a.kind == ActionKind::CreateContainer && a.recreate))
      progress_.event({resource_of(a), words.done, ProgressState::Done, ""});
  }

  // The engine errors the plan lets an action end with.
  template <class F>
  static Outcome tolerated(const Action& a, F&& call) {
    try {
      call();
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::NotFound && a.tolerate.missing) return Outcome::Done;
      if (e.kind() == ErrorKind::InUse && a.tolerate.in_use) return Outcome::InUse;
      throw;
    }
    return Outcome::Done;
  }

  static std::string describe_failure(const Action& a, const std::string& message) {
    if (a.kind == ActionKind::WaitContainers) return message;
    std::string subject = resource_of(a);
    if (!a.service.empty()) subject = "service \"" + a.service + "\": " + subject;
    return subject + ": " + message;
  }

  std::string id_of(const plan::ContainerRef& ref) {
    if (!ref.id.empty()) return ref.id;
    std::lock_guard lock(mutex_);
    if (!ref.created_by || result_.created[*ref.created_by].empty())
      throw Error(ErrorKind::Internal, "container " + ref.name + " was not created before it was needed");
    return result_.created[*ref.created_by];
  }

  void perform(size_t node, const Action& a) {
    switch (a.kind) {
      case ActionKind::CreateNetwork: return create_network(a);
      case ActionKind::CreateVolume:
        engine_.create_volume(a.target, volume_create_body(project_, model_of(project_.volumes, a.resource)));
        return;
      case ActionKind::RemoveNetwork:
        engine_.remove_network(a.engine_id.empty() ? a.target : a.engine_id);
        return;
      case ActionKind::RemoveVolume:
        engine_.remove_volume(a.target);
        return;
      case ActionKind::RemoveImage:
        engine_.remove_image(a.target);
        return;
      case ActionKind::CreateContainer: return create_container(node, a);
      case ActionKind::StartContainer: return start_container(a);
      case ActionKind::StopContainer:
        run_pre_stop_hooks(a);
        engine_.stop_container(id_of(a.container), a.timeout_seconds);
        return;
      case ActionKind::RemoveContainer:
        engine_.remove_container(id_of(a.container), {.force = a.force, .volumes = a.remove_volumes});
        return;
      case ActionKind::RenameContainer:
        engine_.rename_container(id_of(a.container), a.target);
        return;
      case ActionKind::RestartContainer:
        engine_.restart_container(id_of(a.container), a.timeout_seconds);
        return;
      case ActionKind::KillContainer:
        engine_.kill_container(id_of(a.container), a.signal);
        return;
      case ActionKind::PauseContainer:
        engine_.pause_container(id_of(a.container));
        return;
      case ActionKind::UnpauseContainer:
        engine_.unpause_container(id_of(a.container));
        return;
      case ActionKind::DisconnectNetwork: return disconnect_network(node, a);
      case ActionKind::ConnectNetwork: return connect_network(a);
      case ActionKind::WaitContainers:
        for (const auto& c : a.containers) {
          try {
            wait_for(a, c);
          } catch (const Error& e) {
            // depends_on.required: false: the dependent starts anyway, as in compose.
            if (!a.optional || e.kind() == ErrorKind::Interrupted) throw;
            progress_.event({"Container " + c.name, "Warning", ProgressState::Warning, e.message()});
            progress_.message("WARN optional dependency: " + e.message());
          }
        }
        return;
    }
  }

  static const model::Resource& model_of(const std::vector<model::Resource>& resources, const std::string& key) {
    for (const auto& r : resources)
      if (r.key == key) return r;
    throw Error(ErrorKind::Internal, "the plan names " + key + ", which the model does not have");
  }

  // The container's endpoint on the network before it leaves it, for a
  // ConnectNetwork that restores it.
  void disconnect_network(size_t node, const Action& a) {
    const std::string id = id_of(a.container);
    json endpoint = engine_.inspect_container(id)["NetworkSettings"]["Networks"][a.network];
    {
      std::lock_guard lock(mutex_);
      endpoints_[node] = std::move(endpoint);
    }
    engine_.disconnect_network(a.network, id, a.force);
  }

  // The planned aliases, plus what the endpoint the plan restores had:
  // aliases (but the short container ID, which the engine adds itself),
  // fixed addresses, links and driver options.
  json endpoint_for(const Action& a, const std::string& id) {
    json endpoint = json::object();
    json aliases = json::array();
    for (const auto& alias : a.aliases) aliases.push_back(alias);
    json before;
    if (a.restore_endpoint_of) {
      std::lock_guard lock(mutex_);
      if (auto it = endpoints_.find(*a.restore_endpoint_of); it != endpoints_.end()) before = it->second;
    }
    if (before.is_object()) {
      for (const auto& alias : before.value("Aliases", json::array())) {
        if (!alias.is_string() || alias.get<std::string>() == id.substr(0, 12)) continue;
        if (std::find(aliases.begin(), aliases.end(), alias) == aliases.end()) aliases.push_back(alias);
      }
      for (const char* key : {"IPAMConfig", "Links", "DriverOpts"})
        if (auto it = before.find(key); it != before.end() && !it->is_null() && !it->empty()) endpoint[key] = *it;
    }
    if (!aliases.empty()) endpoint["Aliases"] = std::move(aliases);
    return endpoint;
  }

  void connect_network(const Action& a) {
    const std::string id = id_of(a.container);
    json endpoint = endpoint_for(a, id);
    try {
      engine_.connect_network(a.network, id, endpoint);
    } catch (const Error& e) {
      if (!a.tolerate.new_address || !endpoint.contains("IPAMConfig") || e.kind() == ErrorKind::NotFound ||
          e.kind() == ErrorKind::Interrupted)
        throw;
      progress_.message("WARN container " + a.target + ": could not keep its address on network " + a.network +
                        " (" + e.message() + "); connected with a new one");
      endpoint.erase("IPAMConfig");
      engine_.connect_network(a.network, id, endpoint);
    }
  }

  void start_container(const Action& a) {
    const std::string id = id_of(a.container);
    try {
      engine_.start_container(id);
    } catch (const Error& e) {
      // A concurrent run's duplicate network appeared after this run
      // settled its own: settle those the container uses, then start again.
      if (e.kind() != ErrorKind::Ambiguous || a.settle_networks.empty()) throw;
      for (const auto& network : a.settle_networks) settle_duplicate_networks(network);
      engine_.start_container(id);
    }
    // As compose: a failing post_start hook fails the start (the container
    // keeps running).
    for (const json* hook : hooks_of(a, "post_start")) {
      HookResult result = run_hook(engine_, id, *hook, hook_output(a));
      if (result.exit_code != 0) throw Error(ErrorKind::Engine, describe_hook_failure("post_start hook", *hook, result));
    }
  }

  // Unlike compose, a failing pre_stop hook does not keep the container from
  // stopping: `down` must not be held hostage by a cleanup command. It is
  // reported as a warning.
  void run_pre_stop_hooks(const Action& a) {
    const auto hooks = hooks_of(a, "pre_stop");
    if (hooks.empty()) return;
    const std::string id = id_of(a.container);
    for (const json* hook : hooks) {
      try {
        HookResult result = run_hook(engine_, id, *hook, hook_output(a));
        if (result.exit_code != 0)
          progress_.message("WARN container " + a.target + ": " + describe_hook_failure("pre_stop hook", *hook, result));
      } catch (const Error& e) {
        // Not running (any more), or gone: nothing to run the hook in.
        if (e.kind() == ErrorKind::Conflict || e.kind() == ErrorKind::NotFound) return;
        if (e.kind() == ErrorKind::Interrupted) throw;
        progress_.message("WARN container " + a.target + ": pre_stop hook: " + e.message());
      }
    }
  }

  // A hook's output lines, shown under the container in every progress
  // mode (plain: "Container web-1 | line").
  std::function<void(std::string_view)> hook_output(const Action& a) {
    return [this, resource = resource_of(a)](std::string_view line) { progress_.output(resource, std::string(line)); };
  }

  // The hooks an action runs: the planner says whether it runs any, the
  // model has them.
  std::vector<const json*> hooks_of(const Action& a, const char* key) const {
    std::vector<const json*> out;
    if (!a.hooks) return out;
    const model::Service* service = project_.find_service(a.service);
    if (!service) return out;
    auto it = service->json->find(key);
    if (it == service->json->end() || !it->is_array()) return out;
    for (const auto& hook : *it)
      if (hook.is_object()) out.push_back(&hook);
    return out;
  }

  bool network_exists(const std::string& name) {
    for (const auto& n : engine_.list_networks({{"name", {name}}}))
      if (n.name == name) return true;
    return false;
  }

  void create_network(const Action& a) {
    try {
      engine_.create_network(a.target, network_create_body(project_, model_of(project_.networks, a.resource)));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Conflict || !a.tolerate.adopt || !network_exists(a.target)) throw;
    }
    for (const auto& network : a.settle_networks) settle_duplicate_networks(network);
  }

  // The engine's duplicate-name check is not atomic: two runs creating the
  // same network at once can both succeed, and the name is then ambiguous.
  // Every run keeps the oldest (then lowest ID) and removes the others, so
  // all runs agree.
  void settle_duplicate_networks(const std::string& name) {
    constexpr auto kGone = std::numeric_limits<std::int64_t>::max();  // never the one to keep
    std::vector<std::pair<std::int64_t, std::string>> same;  // (created, id)
    for (const auto& n : engine_.list_networks({{"name", {name}}}))
      if (n.name == name) same.emplace_back(kGone, n.id);
    if (same.size() < 2) return;
    for (auto& [created, id] : same) {
      try {
        created = parse_rfc3339(engine_.inspect_network(id).value("Created", "")).value_or(kGone);
      } catch (const Error&) {
        created = kGone;
      }
    }
    std::sort(same.begin(), same.end());
    for (size_t i = 1; i < same.size(); ++i) {
      try {
        engine_.remove_network(same[i].second);
      } catch (const Error&) {
        // Removed by the other run, or already in use: nothing more to do here.
      }
    }
  }

  const std::string& api_version() {
    std::call_once(api_once_, [this] { api_version_ = engine_.api_version(); });
    return api_version_;
  }

  void create_container(size_t node, const Action& a) {
    const model::Service* service = project_.find_service(a.service);
    if (!service) throw Error(ErrorKind::Internal, "no model for service " + a.service);
    ContainerIdentity identity;
    identity.name = a.target;
    identity.number = a.number;
    identity.config_hash = a.config_hash;
    identity.image_id = a.image_id;
    identity.oneoff = a.oneoff;
    if (a.replaces) identity.replaces = a.replaces->name;
    SpecOptions spec_options;
    spec_options.api_version = api_version();
    spec_options.resolve_service = [&a](const std::string& other) {
      auto it = a.service_containers.find(other);
      if (it == a.service_containers.end())
        throw Error(ErrorKind::Internal, "the plan names no container for service " + other);
      return it->second;
    };
    ContainerSpec spec = container_spec(project_, *service, identity, spec_options);
    for (const auto& w : spec.warnings) progress_.message("WARN service \"" + a.service + "\": " + w);
    if (a.replaces && !a.renew_anonymous_volumes) {
      try {
        carry_anonymous_volumes(*spec.body, engine_.inspect_container(a.replaces->id));
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::NotFound) throw;
      }
    }
    std::string id;
    bool adopted = false;
    try {
      id = engine_.create_container(spec.name, *spec.body, spec.platform).id;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Conflict || !a.tolerate.adopt) throw;
      id = adopt_existing(a, e);
      adopted = true;
    }
    {
      std::lock_guard lock(mutex_);
      result_.created[node] = id;
    }
    for (const auto& attachment : spec.connect_after_create) {
      try {
        engine_.connect_network(attachment.network, id, *attachment.endpoint);
      } catch (const Error& e) {
        // The run that created an adopted container connects it too.
        if (!adopted || e.kind() != ErrorKind::Conflict) throw;
      }
    }
  }

  // The container a concurrent run made under this name, when it is the
  // one this action would have made (same project, service and config hash).
  std::string adopt_existing(const Action& a, const Error& conflict) {
    auto found = engine_.list_containers({.all = true, .filters = {{"name", {"^/" + a.target + "$"}}}});
    for (const auto& c : found) {
      auto label = [&](const char* key) {
        auto it = c.labels.find(key);
        return it == c.labels.end() ? std::string() : it->second;
      };
      if (label(L::kProject) == project_.name && label(L::kService) == a.service &&
          label(L::kConfigHash) == a.config_hash)
        return c.id;
    }
    throw Error(ErrorKind::Conflict, "the container name " + a.target +
                                         " is already in use by a container this project did not plan (" +
                                         conflict.message() + ")");
  }

  void wait_for(const Action& a, const plan::ContainerRef& ref) {
    const std::string resource = "Container " + ref.name;
    progress_.event({resource, "Waiting", ProgressState::Working, ""});
    const std::string id = id_of(ref);
    auto delay = options_.poll_initial;
    const auto start = std::chrono::steady_clock::now();
    HealthcheckDriver checks(engine_, id, start);
    while (true) {
      if (interrupted()) throw Error(ErrorKind::Interrupted, "interrupted while waiting for service " + a.service);
      json inspect = engine_.inspect_container(id);
      const json& state = inspect.contains("State") ? inspect["State"] : json::object();
      std::string status = state.value("Status", "");
      int exit_code = state.value("ExitCode", 0);
      // Podman reports a Health object with an empty status for a container
      // whose healthcheck is off (test NONE); dockerd leaves it out.
      const json* health = state.contains("Health") && state["Health"].is_object() &&
                                   !state["Health"].value("Status", "").empty()
                               ? &state["Health"]
                               : nullptr;
      std::string health_status = health ? health->value("Status", "") : "";
      bool stopped = status == "exited" || status == "dead";

      if (a.condition == "completed") {
        if (stopped) {
          if (exit_code != 0)
            throw Error(ErrorKind::Engine, "service \"" + a.service + "\" didn't complete successfully: exit " +
                                               std::to_string(exit_code));
          progress_.event({resource, "Exited", ProgressState::Done, ""});
          return;
        }
      } else {
        if (stopped)
          throw Error(ErrorKind::Engine, "service \"" + a.service + "\": container " + ref.name + " exited (" +
                                             std::to_string(exit_code) + ")");
        if (!health && a.condition == "healthy")
          throw Error(ErrorKind::Config, "service \"" + a.service + "\" has no healthcheck configured (container " +
                                             ref.name + "), so nothing can wait for it to be healthy");
        if (health_status == "unhealthy")
          throw Error(ErrorKind::Engine, "service \"" + a.service + "\" is unhealthy (container " + ref.name +
                                             ")" + last_health_output(*health));
        if (health_status == "healthy" || (!health && status == "running")) {
          progress_.event({resource, health ? "Healthy" : "Running", ProgressState::Done, ""});
          return;
        }
        if (health_status == "starting" && status == "running") checks.run_when_due(inspect);
      }
      if (a.condition == "running" && options_.wait_timeout &&
          std::chrono::steady_clock::now() - start > *options_.wait_timeout)
        throw Error(ErrorKind::Engine, "timed out waiting for service \"" + a.service + "\" (container " + ref.name +
                                           ") to be " + (health ? "healthy" : "running"));
      std::this_thread::sleep_for(delay);
      delay = std::min(options_.poll_max, delay * 3 / 2 + std::chrono::milliseconds(1));
    }
  }

  // An engine that does not schedule healthchecks itself (Podman without
  // systemd) would leave a container "starting" for ever: while waiting,
  // its check is run on request whenever no check ran for an interval.
  class HealthcheckDriver {
   public:
    HealthcheckDriver(engine::Engine& engine, std::string id, std::chrono::steady_clock::time_point start)
        : engine_(engine), id_(std::move(id)), last_check_(start) {}

    void run_when_due(const json& inspect) {
      if (!engine_.runs_healthchecks_on_request()) return;
      const auto now = std::chrono::steady_clock::now();
      const std::string latest = latest_check(inspect);
      if (latest != latest_seen_) {
        latest_seen_ = latest;
        last_check_ = now;
      }
      if (now - last_check_ < interval(inspect)) return;
      try {
        engine_.run_healthcheck(id_);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::Conflict) throw;  // stopped meanwhile: the next inspect says so
      }
      last_check_ = now;
    }

   private:
    static std::string latest_check(const json& inspect) {
      static const json::json_pointer log_at("/State/Health/Log");
      if (!inspect.contains(log_at)) return {};
      const json& log = inspect.at(log_at);
      return log.is_array() && !log.empty() && log.back().is_object() ? log.back().value("Start", "") : "";
    }
    static std::chrono::nanoseconds interval(const json& inspect) {
      static const json::json_pointer interval_at("/Config/Healthcheck/Interval");
      const std::int64_t ns = inspect.contains(interval_at) && inspect.at(interval_at).is_number_integer()
                                  ? inspect.at(interval_at).get<std::int64_t>()
                                  : 0;
      return ns > 0 ? std::chrono::nanoseconds(ns) : std::chrono::seconds(30);  // the engines' default
    }

    engine::Engine& engine_;
    std::string id_;
    std::chrono::steady_clock::time_point last_check_;
    std::string latest_seen_;
  };

  static std::string last_health_output(const json& health) {
    auto log = health.find("Log");
    if (log == health.end() || !log->is_array() || log->empty()) return "";
    const json& last = log->back();
    std::string output = last.value("Output", "");
    while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
    return ": last health check exited " + std::to_string(last.value("ExitCode", 0)) +
           (output.empty() ? "" : ": " + output);
  }

  const plan::Plan& plan_;
  const model::Project& project_;
  engine::Engine& engine_;
  ui::ProgressSink& progress_;
  const ExecuteOptions& options_;
  std::mutex mutex_;
  ExecuteResult result_;
  std::map<size_t, json> endpoints_;  // DisconnectNetwork action -> the container's endpoint before it
  std::vector<ErrorKind> kinds_;
  std::once_flag api_once_;
  std::string api_version_;
};

}  // namespace

ExecuteResult execute(const plan::Plan& plan, const model::Project& project, engine::Engine& engine,
                      ui::ProgressSink& progress, const ExecuteOptions& options) {
  return Runner(plan, project, engine, progress, options).run();
}

}  // namespace berth::exec
