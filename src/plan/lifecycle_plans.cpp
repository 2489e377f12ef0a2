// The plans of the lifecycle commands other than up: down, start, stop,
// restart, kill, pause, unpause and rm, each over the containers the engine
// reports for the project.
#include "berth/plan/lifecycle.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/util/error.h"
#include "container_actions.h"
#include "dependencies.h"

namespace berth::plan {
namespace {

namespace L = model::labels;

// The containers of the selected services (not one-offs), in dependency order.
std::vector<std::pair<std::string, std::vector<const ObservedContainer*>>> containers_by_service(
    const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services,
    DependencyMap& deps) {
  deps = dependency_map(project, observed);
  auto selected = named_services(project, observed, services);
  std::vector<std::pair<std::string, std::vector<const ObservedContainer*>>> out;
  for (const auto& name : dependency_order(deps)) {
    if (!selected.count(name)) continue;
    std::vector<const ObservedContainer*> list;
    for (const auto& c : observed.containers)
      if (c.service == name && !c.oneoff) list.push_back(&c);
    out.emplace_back(name, std::move(list));
  }
  return out;
}

// One action per matching container, services ordered by their dependencies
// (`dependents_first` reverses it, as stop and down need).
Plan per_container_plan(const model::Project& project, const ObservedState& observed,
                        const std::vector<std::string>& services, bool dependents_first,
                        const std::function<std::optional<Action>(const ObservedContainer&)>& make) {
  Plan plan;
  DependencyMap deps;
  auto groups = containers_by_service(project, observed, services, deps);
  std::map<std::string, std::vector<size_t>> nodes;
  for (const auto& [service, containers] : groups)
    for (const auto* c : containers)
      if (auto a = make(*c)) nodes[service].push_back(plan.add(std::move(*a)));
  for (const auto& [service, list] : deps)
    for (const auto& d : list) {
      const std::string& first = dependents_first ? service : d.service;
      const std::string& second = dependents_first ? d.service : service;
      if (!nodes.count(first) || !nodes.count(second)) continue;
      for (size_t later : nodes[second])
        for (size_t earlier : nodes[first]) plan.graph.add_dependency(later, earlier);
    }
  return plan;
}

}  // namespace

Plan plan_down(const model::Project& project, const ObservedState& observed, const DownPlanOptions& options) {
  Plan plan;
  auto deps = dependency_map(project, observed);
  const auto orphans = orphan_containers(project, observed);

  std::map<std::string, std::vector<size_t>> stops, removes;
  std::vector<size_t> all_removes;
  std::vector<std::string> orphan_names;
  std::set<std::string> images;
  for (const auto& c : observed.containers) {
    bool orphan = std::find(orphans.begin(), orphans.end(), &c) != orphans.end();
    if (orphan && !options.remove_orphans) {
      orphan_names.push_back(c.name);
      continue;
    }
    std::vector<size_t> after;
    if (c.running()) {
      Action stop = container_action(ActionKind::StopContainer, c, orphan ? "orphan" : "");
      stop.timeout_seconds = options.timeout_seconds;
      size_t n = plan.add(std::move(stop));
      stops[c.service].push_back(n);
      after.push_back(n);
    }
    Action remove = container_action(ActionKind::RemoveContainer, c, orphan ? "orphan" : "");
    remove.force = true;
    remove.remove_volumes = options.volumes;
    size_t n = plan.add(std::move(remove), after);
    removes[c.service].push_back(n);
    all_removes.push_back(n);

    if (options.rmi == "all" || (options.rmi == "local" && c.image == project.name + "-" + c.service)) {
      const model::Service* s = project.find_service(c.service);
      if (options.rmi == "local" && s && s->image) continue;
      images.insert(c.image);
    }
  }
  // Dependents stop first: a dependency's stop waits for its dependents'
  // containers to be stopped (or removed, when they were not running).
  for (const auto& [service, list] : deps)
    for (const auto& d : list) {
      auto dependent = stops.count(service) ? stops[service] : removes[service];
      for (size_t later : stops.count(d.service) ? stops[d.service] : removes[d.service])
        for (size_t earlier : dependent) plan.graph.add_dependency(later, earlier);
    }
  for (const auto& n : observed.networks) {
    if (n.labels.count(L::kProject) == 0 || n.labels.at(L::kProject) != observed.project) continue;
    Action a;
    a.kind = ActionKind::RemoveNetwork;
    a.target = n.name;
    a.engine_id = n.id;
    a.tolerate.missing = true;
    // Orphans kept without --remove-orphans, or another project's containers,
    // may still use it: docker compose says so instead of failing.
    a.tolerate.in_use = true;
    plan.add(std::move(a), all_removes);
  }
  if (options.volumes)
    for (const auto& v : observed.volumes) {
      if (v.labels.count(L::kProject) == 0 || v.labels.at(L::kProject) != observed.project) continue;
      Action a;
      a.kind = ActionKind::RemoveVolume;
      a.target = v.name;
      a.tolerate.missing = true;
      plan.add(std::move(a), all_removes);
    }
  if (options.rmi == "local" || options.rmi == "all")
    for (const auto& s : project.services) {
      if (options.rmi == "local" && s.image) continue;
      images.insert(s.image_name(project.name));
    }
  for (const auto& image : images) {
    if (image.empty()) continue;
    Action a;
    a.kind = ActionKind::RemoveImage;
    a.target = image;
    a.tolerate.missing = true;
    // An image another container still uses stays, with a warning, as in docker compose.
    a.tolerate.in_use = true;
    plan.add(std::move(a), all_removes);
  }
  if (!orphan_names.empty()) plan.warnings.push_back(orphan_warning(orphan_names));
  return plan;
}

// Like `up`, start waits for the dependencies' conditions (healthy,
// completed) before starting a dependent.
Plan plan_start(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services,
                bool wait) {
  Plan plan;
  DependencyMap deps;
  std::map<std::string, std::vector<size_t>> started;
  std::map<std::string, std::vector<ContainerRef>> containers_of;
  for (const auto& [service, containers] : containers_by_service(project, observed, services, deps)) {
    std::vector<const ObservedContainer*> to_start;
    for (const auto* c : containers) {
      if (c->temporary()) continue;
      containers_of[service].push_back(ref_of(*c));
      if (!c->running()) to_start.push_back(c);
    }
    if (to_start.empty()) continue;
    std::vector<size_t> after;
    for (const auto& d : deps[service]) {
      if (!containers_of.count(d.service)) continue;  // not among the services started here
      const auto& before = started[d.service];
      if (d.condition == "service_healthy" || d.condition == "service_completed_successfully") {
        const char* condition = d.condition == "service_healthy" ? "healthy" : "completed";
        after.push_back(plan.add(wait_action(d.service, condition, containers_of[d.service], !d.required), before));
      } else {
        after.insert(after.end(), before.begin(), before.end());
      }
    }
    for (const auto* c : to_start)
      started[service].push_back(plan.add(container_action(ActionKind::StartContainer, *c, ""), after));
  }
  if (wait)
    for (const auto& [service, containers] : containers_of) {
      const char* condition = awaited_to_complete(deps, service) ? "completed" : "running";
      plan.add(wait_action(service, condition, containers, false), started[service]);
    }
  return plan;
}

Plan plan_stop(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services,
               std::optional<int> timeout_seconds) {
  return per_container_plan(project, observed, services, true, [&](const ObservedContainer& c) -> std::optional<Action> {
    if (!c.running()) return std::nullopt;
    Action a = container_action(ActionKind::StopContainer, c, "");
    a.timeout_seconds = timeout_seconds;
    return a;
  });
}

Plan plan_restart(const model::Project& project, const ObservedState& observed,
                  const std::vector<std::string>& services, std::optional<int> timeout_seconds, bool no_deps) {
  std::vector<std::string> selected = services;
  if (!services.empty() && !no_deps) {
    // Dependents declaring restart: true on a restarted service, transitively.
    auto deps = dependency_map(project, observed);
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& [service, list] : deps)
        for (const auto& d : list)
          if (d.restart && std::find(selected.begin(), selected.end(), d.service) != selected.end() &&
              std::find(selected.begin(), selected.end(), service) == selected.end()) {
            selected.push_back(service);
            grew = true;
          }
    }
  }
  return per_container_plan(project, observed, selected, false, [&](const ObservedContainer& c) -> std::optional<Action> {
    if (c.temporary()) return std::nullopt;
    Action a = container_action(ActionKind::RestartContainer, c, "");
    a.timeout_seconds = timeout_seconds;
    return a;
  });
}

// As docker compose v2: the running containers of the named services (all
// services when none are named), one-off containers included; a container
// of a service the model no longer has only with --remove-orphans and no
// services named. Killing needs no order.
Plan plan_kill(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services,
               const std::string& signal, bool remove_orphans) {
  const auto selected = named_services(project, observed, services);
  std::set<std::string> known;
  for (const auto* list : {&project.services, &project.disabled_services})
    for (const auto& s : *list) known.insert(s.name);
  const bool model_known = !known.empty();
  Plan plan;
  for (const auto& c : observed.containers) {
    if (c.state != "running") continue;
    const bool orphan = model_known && !known.count(c.service);
    if (orphan ? !(remove_orphans && services.empty()) : !selected.count(c.service)) continue;
    Action a = container_action(ActionKind::KillContainer, c, orphan ? "orphan" : c.oneoff ? "one-off" : "");
    a.signal = signal;
    plan.add(std::move(a));
  }
  return plan;
}

Plan plan_pause(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services) {
  return per_container_plan(project, observed, services, true, [](const ObservedContainer& c) -> std::optional<Action> {
    if (c.state != "running") return std::nullopt;
    return container_action(ActionKind::PauseContainer, c, "");
  });
}

Plan plan_unpause(const model::Project& project, const ObservedState& observed,
                  const std::vector<std::string>& services) {
  return per_container_plan(project, observed, services, false, [](const ObservedContainer& c) -> std::optional<Action> {
    if (c.state != "paused") return std::nullopt;
    return container_action(ActionKind::UnpauseContainer, c, "");
  });
}

Plan plan_remove(const model::Project& project, const ObservedState& observed,
                 const std::vector<std::string>& services, const RemovePlanOptions& options) {
  Plan plan;
  DependencyMap deps;
  for (const auto& [service, containers] : containers_by_service(project, observed, services, deps))
    for (const auto* c : containers) {
      std::vector<size_t> after;
      if (c->running()) {
        if (!options.stop) continue;  // rm without -s leaves running containers alone
        after.push_back(plan.add(container_action(ActionKind::StopContainer, *c, "")));
      }
      Action a = container_action(ActionKind::RemoveContainer, *c, "");
      a.force = true;
      a.remove_volumes = options.volumes;
      plan.add(std::move(a), after);
    }
  return plan;
}

Plan plan_container(ActionKind kind, const ContainerRef& container, const std::string& signal) {
  Plan plan;
  Action a = container_action(kind, "", container, "");
  a.signal = signal;
  if (kind == ActionKind::RemoveContainer) {
    a.force = true;
    a.remove_volumes = true;
  }
  plan.add(std::move(a));
  return plan;
}

}  // namespace berth::plan
