#include "berth/exec/executor.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "berth/engine/engine.h"
#include "berth/exec/anonymous_volumes.h"
#include "berth/exec/container_spec.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/plan/plan.h"
#include "berth/ui/progress.h"
#include "berth/util/error.h"

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

class Runner {
 public:
  Runner(const plan::Plan& plan, const model::Project& project, engine::Engine& engine, ui::ProgressSink& progress,
         const ExecuteOptions& options)
      : plan_(plan), project_(project), engine_(engine), progress_(progress), options_(options),
        created_(plan.actions.size()), kinds_(plan.actions.size(), ErrorKind::Engine) {}

  void run() {
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
  }

 private:
  bool interrupted() const { return options_.interrupted && options_.interrupted(); }

  void visit(size_t node) {
    const Action& a = plan_.actions[node];
    Wording words = wording(a);
    const bool report = !a.quiet && a.kind != ActionKind::WaitContainers;
    if (report && !(a.kind == ActionKind::RenameContainer && a.recreate))
      progress_.event({resource_of(a), words.working, ProgressState::Working, a.reason});
    try {
      perform(node, a);
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
    if (left_in_use(node))
      progress_.event({resource_of(a), "Resource is still in use", ProgressState::Warning, ""});
    else if (report && !(a.kind == ActionKind::CreateContainer && a.recreate))
      progress_.event({resource_of(a), words.done, ProgressState::Done, ""});
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
    if (!ref.created_by || created_[*ref.created_by].empty())
      throw Error(ErrorKind::Internal, "container " + ref.name + " was not created before it was needed");
    return created_[*ref.created_by];
  }

  void perform(size_t node, const Action& a) {
    switch (a.kind) {
      case ActionKind::CreateNetwork: return create_network(a);
      case ActionKind::CreateVolume:
        engine_.create_volume(a.target, *a.body);
        return;
      case ActionKind::RemoveNetwork: return remove_network(node, a);
      case ActionKind::RemoveVolume:
        return ignore_not_found([&] { engine_.remove_volume(a.target); });
      case ActionKind::RemoveImage: return remove_image(node, a);
      case ActionKind::CreateContainer: return create_container(node, a);
      case ActionKind::StartContainer: return start_container(a);
      case ActionKind::StopContainer:
        return ignore_not_found([&] { engine_.stop_container(id_of(a.container), a.timeout_seconds); });
      case ActionKind::RemoveContainer:
        return ignore_not_found([&] {
          engine_.remove_container(id_of(a.container), {.force = a.force, .volumes = a.remove_volumes});
        });
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
      case ActionKind::DisconnectNetwork: return disconnect_network(a);
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

  // A container is disconnected only to be connected again to the network's
  // recreation: note the endpoint it had (aliases, fixed addresses, links)
  // so that it comes back the same.
  void disconnect_network(const Action& a) {
    const std::string id = id_of(a.container);
    json endpoint;
    try {
      json inspect = engine_.inspect_container(id);
      endpoint = inspect["NetworkSettings"]["Networks"][a.network];
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::NotFound) return;  // gone: nothing to disconnect or reconnect
      throw;
    }
    if (endpoint.is_object()) {
      std::lock_guard lock(mutex_);
      endpoints_[id + "\n" + a.network] = std::move(endpoint);
    }
    ignore_not_found([&] { engine_.disconnect_network(a.network, id, a.force); });
  }

  // The planned endpoint plus what the container had before its
  // disconnection; a fixed address the new network cannot give (its subnet
  // changed) is dropped with a warning rather than leaving it unconnected.
  void connect_network(const Action& a) {
    const std::string id = id_of(a.container);
    json endpoint = *a.body;
    json before;
    {
      std::lock_guard lock(mutex_);
      if (auto it = endpoints_.find(id + "\n" + a.network); it != endpoints_.end()) before = it->second;
    }
    if (before.is_object()) {
      json aliases = endpoint.value("Aliases", json::array());
      for (const auto& alias : before.value("Aliases", json::array())) {
        // The engine adds the short container ID itself.
        if (!alias.is_string() || alias.get<std::string>() == id.substr(0, 12)) continue;
        if (std::find(aliases.begin(), aliases.end(), alias) == aliases.end()) aliases.push_back(alias);
      }
      if (!aliases.empty()) endpoint["Aliases"] = std::move(aliases);
      for (const char* key : {"IPAMConfig", "Links", "DriverOpts"})
        if (auto it = before.find(key); it != before.end() && !it->is_null() && !it->empty()) endpoint[key] = *it;
    }
    try {
      engine_.connect_network(a.network, id, endpoint);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::NotFound || e.kind() == ErrorKind::Interrupted || !endpoint.contains("IPAMConfig"))
        throw;
      progress_.message("WARN container " + a.target + ": could not keep its address on network " + a.network +
                        " (" + e.message() + "); connected with a new one");
      endpoint.erase("IPAMConfig");
      engine_.connect_network(a.network, id, endpoint);
    }
  }

  // A network that containers outside the plan still use (orphans kept
  // without --remove-orphans, another project's containers) stays, and
  // docker compose says so instead of failing; but a diverged network that
  // cannot be removed for its recreation is an error.
  void remove_network(size_t node, const Action& a) {
    try {
      ignore_not_found([&] { engine_.remove_network(a.engine_id.empty() ? a.target : a.engine_id); });
    } catch (const Error& e) {
      if (a.recreate || e.kind() != ErrorKind::Engine || e.message().find("active endpoints") == std::string::npos)
        throw;
      std::lock_guard lock(mutex_);
      still_in_use_.push_back(node);
    }
  }

  // down --rmi: an image another container still uses stays, with a
  // warning, as docker compose does.
  void remove_image(size_t node, const Action& a) {
    try {
      ignore_not_found([&] { engine_.remove_image(a.target); });
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Conflict) throw;
      std::lock_guard lock(mutex_);
      still_in_use_.push_back(node);
    }
  }

  bool left_in_use(size_t node) {
    std::lock_guard lock(mutex_);
    return std::find(still_in_use_.begin(), still_in_use_.end(), node) != still_in_use_.end();
  }

  template <class F>
  static void ignore_not_found(F&& call) {
    try {
      call();
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::NotFound) throw;
    }
  }

  void start_container(const Action& a) {
    const std::string id = id_of(a.container);
    try {
      engine_.start_container(id);
    } catch (const Error& e) {
      // A concurrent run's duplicate network appeared after this run checked
      // for duplicates: settle which one stays, then start again.
      const std::string& m = e.message();
      auto at = m.find("network ");
      auto end = m.find(" is ambiguous");
      if (e.kind() != ErrorKind::Engine || at == std::string::npos || end == std::string::npos || end < at) throw;
      remove_duplicate_networks(m.substr(at + 8, end - at - 8));
      engine_.start_container(id);
    }
  }

  bool network_exists(const std::string& name) {
    for (const auto& n : engine_.list_networks({{"name", {name}}}))
      if (n.name == name) return true;
    return false;
  }

  void create_network(const Action& a) {
    try {
      engine_.create_network(a.target, *a.body);
    } catch (const Error& e) {
      // Another run created it meanwhile: fine when it is the project's.
      if (e.kind() != ErrorKind::Conflict) throw;
      if (network_exists(a.target)) return;
      throw;
    }
    remove_duplicate_networks(a.target);
  }

  // RFC 3339 with the fraction padded to nanoseconds ("...:05.1Z" ->
  // "...:05.100000000Z"), so that text order is time order.
  static std::string sortable_time(std::string t) {
    auto dot = t.find('.');
    if (dot == std::string::npos) return t;
    size_t end = dot + 1;
    while (end < t.size() && std::isdigit(static_cast<unsigned char>(t[end]))) ++end;
    t.insert(end, std::string(10 - std::min<size_t>(10, end - dot), '0'));
    return t;
  }

  // The engine's duplicate-name check is not atomic: two runs creating the
  // same network at once (berth runs without the project lock, or berth
  // beside docker compose) can both succeed, and the name is then ambiguous.
  // Every run that created one keeps the oldest (then lowest ID) and removes
  // the others, so all runs agree.
  void remove_duplicate_networks(const std::string& name) {
    std::vector<std::pair<std::string, std::string>> same;  // (created, id)
    for (const auto& n : engine_.list_networks({{"name", {name}}}))
      if (n.name == name) same.emplace_back("", n.id);
    if (same.size() < 2) return;
    for (auto& [created, id] : same) {
      try {
        created = sortable_time(engine_.inspect_network(id).value("Created", ""));
      } catch (const Error&) {
        created = "~";  // gone already: never the one to keep
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
    if (a.replaces) identity.replaces = a.replaces->name;
    SpecOptions spec_options;
    spec_options.api_version = api_version();
    spec_options.resolve_service = [this](const std::string& other) {
      const model::Service* s = project_.find_service(other);
      if (s && s->container_name) return *s->container_name;
      return project_.name + "-" + other + "-1";
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
      if (e.kind() != ErrorKind::Conflict) throw;
      id = adopt_existing(a, e);
      adopted = true;
    }
    {
      std::lock_guard lock(mutex_);
      created_[node] = id;
    }
    for (const auto& attachment : spec.connect_after_create) {
      try {
        engine_.connect_network(attachment.network, id, *attachment.endpoint);
      } catch (const Error& e) {
        // The run that created an adopted container connects it too.
        if (!adopted || e.message().find("already exists") == std::string::npos) throw;
      }
    }
  }

  // A concurrent run created the same container first: re-observe it and
  // carry on with it when it is what this run would have created.
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
    while (true) {
      if (interrupted()) throw Error(ErrorKind::Interrupted, "interrupted while waiting for service " + a.service);
      json inspect = engine_.inspect_container(id);
      const json& state = inspect.contains("State") ? inspect["State"] : json::object();
      std::string status = state.value("Status", "");
      int exit_code = state.value("ExitCode", 0);
      const json* health = state.contains("Health") && state["Health"].is_object() ? &state["Health"] : nullptr;
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
      }
      if (a.condition == "running" && options_.wait_timeout &&
          std::chrono::steady_clock::now() - start > *options_.wait_timeout)
        throw Error(ErrorKind::Engine, "timed out waiting for service \"" + a.service + "\" (container " + ref.name +
                                           ") to be " + (health ? "healthy" : "running"));
      std::this_thread::sleep_for(delay);
      delay = std::min(options_.poll_max, delay * 3 / 2 + std::chrono::milliseconds(1));
    }
  }

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
  std::vector<std::string> created_;
  std::map<std::string, json> endpoints_;  // "container id\nnetwork" -> its endpoint before a disconnect
  std::vector<size_t> still_in_use_;
  std::vector<ErrorKind> kinds_;
  std::once_flag api_once_;
  std::string api_version_;
};

}  // namespace

void execute(const plan::Plan& plan, const model::Project& project, engine::Engine& engine,
             ui::ProgressSink& progress, const ExecuteOptions& options) {
  Runner(plan, project, engine, progress, options).run();
}

}  // namespace berth::exec
