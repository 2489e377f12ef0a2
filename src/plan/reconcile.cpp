// The reconciler: what `up` (create, scale) and `run` change to take the
// engine from what it holds to what the model wants. Per service, in
// dependency order: its networks and volumes, then its containers, step by
// step (see converge_service).
#include "berth/plan/reconcile.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/model/config_hash.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/util/error.h"
#include "container_actions.h"
#include "dependencies.h"

namespace berth::plan {
namespace {

using nlohmann::json;
namespace L = model::labels;

constexpr size_t kNoNode = SIZE_MAX;

std::string container_name(const model::Project& project, const model::Service& service, int number) {
  if (service.container_name) return *service.container_name;
  return project.name + "-" + service.name + "-" + std::to_string(number);
}

// Why an existing network no longer matches the model ("" when it does). A
// network with berth's config-hash label is compared by hash. One without
// (made by docker-compose 1.x or an older berth) is compared on what the
// engine lists: driver and internal; attachable only when the model asks for
// it, since docker-compose 1.x makes every network attachable unasked.
std::string network_divergence(const ObservedNetwork& existing, const model::Resource& network) {
  const json& n = *network.json;
  const std::string driver = n.value("driver", "bridge");
  const bool internal = n.value("internal", false);
  std::string visible;
  if (existing.driver != driver) visible = "driver " + existing.driver + " -> " + driver;
  else if (existing.internal != internal) visible = internal ? "internal" : "not internal";
  auto hash = existing.labels.find(L::kConfigHash);
  if (hash != existing.labels.end())
    return hash->second == model::network_config_hash(network) ? "" : visible.empty() ? "config changed" : visible;
  if (visible.empty() && n.value("attachable", false) && !existing.attachable) visible = "attachable";
  return visible;
}

// What a service's convergence leaves for the services that depend on it.
struct ServiceOutcome {
  std::vector<size_t> ready;    // after these its containers exist under their final names
  std::vector<size_t> started;  // after these they run
  std::vector<ContainerRef> containers;
  bool recreated = false;
};

// A service's containers as the engine reports them, made whole: one per
// replica number, the temporaries of an interrupted recreate finished or
// dropped, duplicates removed.
struct ExistingContainers {
  std::map<int, ObservedContainer> by_number;
  std::map<int, size_t> renamed_at;                    // a temporary renamed to its final name
  std::map<int, std::vector<size_t>> leftover_removed;  // temporaries removed before that number is recreated

  std::vector<size_t> settled(int number) const {
    std::vector<size_t> after;
    if (auto it = renamed_at.find(number); it != renamed_at.end()) after.push_back(it->second);
    if (auto it = leftover_removed.find(number); it != leftover_removed.end())
      after.insert(after.end(), it->second.begin(), it->second.end());
    return after;
  }
};

// The facts every container of one service is planned with.
struct ServicePlan {
  const model::Service& service;
  std::string config_hash;
  std::vector<size_t> after_dependencies_ready;  // networks, volumes, dependencies' containers
  std::optional<std::string> image_id;           // asked for once, when a container is created
  ServiceOutcome outcome;
};

class Reconciler {
 public:
  Reconciler(const model::Project& project, const ObservedState& observed, const ConvergeOptions& options)
      : project_(project), observed_(observed), options_(options) {}

  Plan up() {
    deps_ = dependency_map(project_, observed_);
    select_services();
    recreate_diverged_networks();
    if (options_.all_resources) create_every_resource();
    converge_selected();
    if (options_.wait && !options_.no_start) add_readiness_waits();
    orphans();
    return std::move(plan_);
  }

  // The dependencies as `up --no-recreate` of them would leave them, then the
  // one-off container.
  Plan run(const RunPlanOptions& run) {
    const model::Service* service = project_.find_service(run.service);
    if (!service) throw Error(ErrorKind::Usage, "no such service: " + run.service);
    deps_ = dependency_map(project_, observed_);
    select_services();
    recreate_diverged_networks();
    selected_.erase(run.service);  // its own containers are not `run`'s business
    converge_selected();
    orphans();
    add_oneoff(*service, run);
    return std::move(plan_);
  }

 private:
  // --- which services

  void select_services() {
    targets_ = named_services(project_, observed_, options_.services);
    selected_ = targets_;
    if (options_.no_deps) return;
    std::vector<std::string> queue(targets_.begin(), targets_.end());
    while (!queue.empty()) {
      std::string name = queue.back();
      queue.pop_back();
      for (const auto& d : deps_[name]) {
        if (!project_.find_service(d.service)) continue;  // required:false and absent, or disabled
        if (selected_.insert(d.service).second) queue.push_back(d.service);
      }
    }
  }

  void converge_selected() {
    for (const auto& name : dependency_order(deps_)) {
      if (!selected_.count(name)) continue;
      if (const auto* service = project_.find_service(name)) converge_service(*service);
    }
  }

  bool is_dependency(const std::string& service) {
    for (const auto& name : selected_)
      for (const auto& d : deps_[name])
        if (d.service == service) return true;
    return false;
  }

  // --- networks and volumes

  size_t network_node(const std::string& key) {
    const model::Resource* network = project_.find_network(key);
    if (!network) throw Error(ErrorKind::Config, "service refers to undefined network " + key);
    if (auto it = network_nodes_.find(network->name); it != network_nodes_.end()) return it->second;
    size_t node = kNoNode;
    const ObservedNetwork* existing = observed_.find_network(network->name);
    if (network->external) {
      if (!existing)
        throw Error(ErrorKind::NotFound, "network " + network->name +
                                             " declared as external, but could not be found");
    } else if (!existing) {
      node = create_network(*network, "missing", {});
    }
    network_nodes_[network->name] = node;
    return node;
  }

  void create_every_resource() {
    for (const auto& network : project_.networks) network_node(network.key);
    for (const auto& volume : project_.volumes) volume_node(volume.key);
  }

  size_t create_network(const model::Resource& network, const std::string& reason, const std::vector<size_t>& after) {
    Action a;
    a.kind = ActionKind::CreateNetwork;
    a.target = network.name;
    a.resource = network.key;
    a.reason = reason;
    // Another run (berth without the lock, or docker compose) may create it
    // at the same moment: one of that name is as good, and if both were
    // made, every run keeps the same one.
    a.tolerate.adopt = true;
    a.settle_networks = {network.name};
    return plan_.add(std::move(a), after);
  }

  // A network of the selected services whose configuration changed is
  // removed and created again, as docker compose v2 does: the containers of
  // the services on it are stopped first and recreated afterwards (they
  // refer to the network by ID); other containers on it (orphans, one-offs)
  // are disconnected and connected to the new one.
  void recreate_diverged_networks() {
    std::set<std::string> keys;
    for (const auto& name : selected_)
      if (const auto* service = project_.find_service(name))
        for (const auto& n : service->networks) keys.insert(n.name);
    for (const auto& key : keys) {
      const model::Resource* network = project_.find_network(key);
      if (!network || network->external) continue;
      const ObservedNetwork* existing = observed_.find_network(network->name);
      if (!existing) continue;
      std::string diverged = network_divergence(*existing, *network);
      if (diverged.empty()) continue;
      if (options_.recreate == Recreate::Never)
        throw Error(ErrorKind::Conflict, "network " + network->name + " has diverged from the compose file (" +
                                             diverged + "); recreating it recreates its containers, which "
                                             "--no-recreate forbids");
      recreate_network(*network, *existing, diverged);
    }
  }

  void recreate_network(const model::Resource& network, const ObservedNetwork& existing, const std::string& diverged) {
    const std::string reason = "network " + network.name + " recreated";
    std::set<std::string> users;  // the services that get new containers
    for (const auto& service : project_.services)
      for (const auto& n : service.networks)
        if (n.name == network.key) users.insert(service.name);
    std::vector<const ObservedContainer*> removed_orphans;
    if (options_.remove_orphans) removed_orphans = orphan_containers(project_, observed_);
    std::vector<size_t> detached;
    std::vector<std::pair<const ObservedContainer*, size_t>> reconnect;  // container, its disconnect
    for (const auto& c : observed_.containers) {
      bool attached = std::find(c.networks.begin(), c.networks.end(), network.name) != c.networks.end();
      // Containers that go away in this run only need to be stopped first.
      bool user = (users.count(c.service) && !c.oneoff) ||
                  (attached && std::find(removed_orphans.begin(), removed_orphans.end(), &c) != removed_orphans.end());
      if (user) {
        if (!c.running()) continue;
        Action stop = container_action(ActionKind::StopContainer, c, reason);
        stop.timeout_seconds = options_.timeout_seconds;
        size_t node = plan_.add(std::move(stop));
        stopped_for_network_[c.id] = node;
        detached.push_back(node);
      } else if (attached) {
        Action disconnect = container_action(ActionKind::DisconnectNetwork, c, reason);
        disconnect.network = network.name;
        disconnect.force = true;
        size_t node = plan_.add(std::move(disconnect));
        detached.push_back(node);
        reconnect.emplace_back(&c, node);
      }
    }
    Action remove;
    remove.kind = ActionKind::RemoveNetwork;
    remove.target = network.name;
    remove.engine_id = existing.id;
    remove.reason = "diverged: " + diverged;
    remove.recreate = true;
    remove.tolerate.missing = true;
    size_t removed = plan_.add(std::move(remove), detached);
    size_t created = create_network(network, "diverged: " + diverged, {removed});
    network_nodes_[network.name] = created;
    for (const auto& [c, disconnected] : reconnect) {
      Action connect = container_action(ActionKind::ConnectNetwork, *c, reason);
      connect.network = network.name;
      if (!c->oneoff && !c->service.empty()) connect.aliases = {c->service};
      // Back as it was on the old network: aliases, fixed addresses, links;
      // an address the new network's subnet cannot give is given up.
      connect.restore_endpoint_of = disconnected;
      connect.tolerate.new_address = true;
      plan_.add(std::move(connect), {created});
    }
    // Every service on the network gets new containers, selected or not.
    for (const auto& name : users) selected_.insert(name);
    recreated_networks_[network.key] = reason;
  }

  size_t volume_node(const std::string& key) {
    const model::Resource* volume = project_.find_volume(key);
    if (!volume) throw Error(ErrorKind::Config, "service refers to undefined volume " + key);
    if (auto it = volume_nodes_.find(volume->name); it != volume_nodes_.end()) return it->second;
    size_t node = kNoNode;
    if (!observed_.find_volume(volume->name)) {
      if (volume->external)
        throw Error(ErrorKind::NotFound, "volume " + volume->name + " declared as external, but could not be found");
      Action a;
      a.kind = ActionKind::CreateVolume;
      a.target = volume->name;
      a.resource = volume->key;
      a.reason = "missing";
      node = plan_.add(std::move(a));
    }
    volume_nodes_[volume->name] = node;
    return node;
  }

  // --- order between services

  // What a container of `service` is created after: its networks, volumes
  // and the containers of its dependencies.
  std::vector<size_t> create_after(const model::Service& service) {
    std::vector<size_t> after;
    auto push = [&](size_t n) {
      if (n != kNoNode && std::find(after.begin(), after.end(), n) == after.end()) after.push_back(n);
    };
    for (const auto& n : service.networks) push(network_node(n.name));
    for (const auto& v : service.volumes)
      if (v.type == "volume" && !v.source.empty()) push(volume_node(v.source));
    for (const auto& d : deps_[service.name])
      if (auto it = outcomes_.find(d.service); it != outcomes_.end())
        for (size_t n : it->second.ready) push(n);
    return after;
  }

  size_t wait_node(const std::string& service, const std::string& condition, bool optional) {
    auto key = service + "\n" + condition + (optional ? "\noptional" : "");
    if (auto it = wait_nodes_.find(key); it != wait_nodes_.end()) return it->second;
    const ServiceOutcome& dep = outcomes_[service];
    size_t node = plan_.add(wait_action(service, condition, dep.containers, optional), dep.started);
    wait_nodes_[key] = node;
    return node;
  }

  // What a container of `service` starts after: its dependencies started,
  // healthy or completed, as depends_on says.
  std::vector<size_t> start_after(const model::Service& service) {
    std::vector<size_t> after;
    for (const auto& d : deps_[service.name]) {
      auto it = outcomes_.find(d.service);
      if (it == outcomes_.end()) continue;  // not part of this run (--no-deps, required: false)
      if (d.condition == "service_healthy") after.push_back(wait_node(d.service, "healthy", !d.required));
      else if (d.condition == "service_completed_successfully")
        after.push_back(wait_node(d.service, "completed", !d.required));
      else after.insert(after.end(), it->second.started.begin(), it->second.started.end());
    }
    return after;
  }

  // --- one service's containers

  std::string image_id_for(const model::Service& service) {
    std::string image = service.image_name(project_.name);
    std::string id = observed_.image_id(image);
    if (id.empty() && observed_.images_listed && !options_.missing_images_planned) {
      // The images step builds or pulls what is missing; what is still
      // missing here was refused a build (--no-build) or a pull (pull_policy
      // never).
      if (service.has_build)
        throw Error(ErrorKind::NotFound, "service \"" + service.name + "\": image " + image +
                                             " is not built (run `berth build " + service.name + "`, or drop --no-build)");
      throw Error(ErrorKind::NotFound, "service \"" + service.name + "\": image " + image +
                                           " not found locally (run `berth pull " + service.name + "`)");
    }
    return id;
  }

  const std::string& image_id(ServicePlan& sp) {
    if (!sp.image_id) sp.image_id = image_id_for(sp.service);
    return *sp.image_id;
  }

  // The engine name of the container that stands for `other` where a
  // service shares its namespaces or volumes or links to it: its first
  // running replica, else the name its first replica has or will have.
  std::string container_of(const std::string& other) {
    const ObservedContainer* first = nullptr;
    for (const auto& c : observed_.containers)
      if (c.service == other && !c.oneoff && !c.temporary() && c.running() && (!first || c.number < first->number))
        first = &c;
    if (first) return first->name;
    if (const model::Service* s = project_.find_service(other)) return container_name(project_, *s, 1);
    return project_.name + "-" + other + "-1";
  }

  Action create_action(const model::Service& service, const std::string& name, const std::string& reason, int number,
                       const std::string& hash, const std::string& image_id) {
    Action a;
    a.kind = ActionKind::CreateContainer;
    a.service = service.name;
    a.target = name;
    a.reason = reason;
    a.number = number;
    a.config_hash = hash;
    a.image_id = image_id;
    // A concurrent run (berth without the lock, docker compose) may create
    // the same container first: when its labels say it is this one, it is.
    a.tolerate.adopt = true;
    for (const auto& other : referenced_services(service)) a.service_containers[other] = container_of(other);
    return a;
  }

  // Why container `c` must be recreated ("" when it may stay).
  std::string divergence(const model::Service& service, const ObservedContainer& c, const std::string& hash,
                         const std::string& image_id) {
    if (options_.recreate == Recreate::Never) return {};
    if (options_.recreate == Recreate::Force) return "forced";
    for (const auto& n : service.networks)
      if (auto it = recreated_networks_.find(n.name); it != recreated_networks_.end()) return it->second;
    if (c.config_hash != hash) return "config changed";
    if (!image_id.empty() && c.image_id != image_id) return "image changed";
    if (options_.always_recreate_deps && is_dependency(service.name)) return "dependency (--always-recreate-deps)";
    for (const auto& d : deps_[service.name])
      if (auto it = outcomes_.find(d.service); it != outcomes_.end() && it->second.recreated && refers_to(service, d.service))
        return "uses recreated service " + d.service;
    return {};
  }

  // One service, in five steps: how many replicas, what exists of them, the
  // ones to keep (recreated, started or restarted as needed), the ones to
  // remove, the ones to create.
  void converge_service(const model::Service& service) {
    const int desired = desired_replicas(service);
    ServicePlan sp{service, model::config_hash(service), {}, std::nullopt, {}};
    ExistingContainers existing = existing_containers(service);
    sp.after_dependencies_ready = create_after(service);
    int kept = 0;
    for (auto& [number, c] : existing.by_number) {
      if (kept < desired) {
        ++kept;
        converge_kept(sp, c, existing.settled(number));
      } else {
        remove_container(c, "scale down", existing.renamed_at.count(number)
                                              ? std::vector<size_t>{existing.renamed_at[number]}
                                              : std::vector<size_t>{});
      }
    }
    scale_up(sp, existing, desired - kept);
    outcomes_[service.name] = std::move(sp.outcome);
  }

  int desired_replicas(const model::Service& service) {
    int desired = service.scale;
    if (auto it = options_.scale.find(service.name); it != options_.scale.end()) desired = it->second;
    if (desired < 0) throw Error(ErrorKind::Usage, "service \"" + service.name + "\": scale must not be negative");
    if (service.container_name && desired > 1)
      throw Error(ErrorKind::Config, "service \"" + service.name + "\" sets container_name \"" +
                                         *service.container_name + "\", so it cannot be scaled to " +
                                         std::to_string(desired) + " containers");
    return desired;
  }

  ExistingContainers existing_containers(const model::Service& service) {
    ExistingContainers existing;
    std::vector<const ObservedContainer*> temporaries;
    for (const auto& c : observed_.containers) {
      if (c.service != service.name || c.oneoff) continue;
      if (c.temporary()) {
        temporaries.push_back(&c);
        continue;
      }
      auto [it, fresh] = existing.by_number.emplace(c.number, c);
      if (fresh) continue;
      // Two containers claim one number (a race of older tools): keep the running one.
      ObservedContainer extra = c;
      if (c.running() && !it->second.running()) std::swap(it->second, extra);
      remove_container(extra, "duplicate container number", {});
    }
    // A recreate names its new container like the leftover: remove that first.
    for (const auto* t : temporaries) {
      if (existing.by_number.count(t->number) || t->number < 1) {
        existing.leftover_removed[t->number].push_back(remove_container(*t, "leftover temporary container", {}));
        continue;
      }
      ObservedContainer c = *t;
      Action a = container_action(ActionKind::RenameContainer, c, "finish interrupted recreate");
      a.target = container_name(project_, service, c.number);
      existing.renamed_at[c.number] = plan_.add(std::move(a));
      c.name = container_name(project_, service, c.number);
      existing.by_number.emplace(c.number, c);
    }
    return existing;
  }

  void converge_kept(ServicePlan& sp, const ObservedContainer& c, const std::vector<size_t>& settled) {
    const model::Service& service = sp.service;
    ServiceOutcome& out = sp.outcome;
    std::string current_image = observed_.images_listed ? observed_.image_id(service.image_name(project_.name)) : "";
    std::string reason = divergence(service, c, sp.config_hash, current_image);
    std::vector<size_t> after = sp.after_dependencies_ready;
    after.insert(after.end(), settled.begin(), settled.end());
    if (!reason.empty()) {
      recreate(sp, c, reason, after);
      return;
    }
    out.containers.push_back(ref_of(c));
    for (size_t n : after) out.ready.push_back(n);
    bool restart_for_dependency = false;
    for (const auto& d : deps_[service.name])
      if (auto it = outcomes_.find(d.service); it != outcomes_.end() && it->second.recreated && d.restart)
        restart_for_dependency = true;
    if (options_.no_start) {
      plan_.up_to_date.push_back(ref_of(c));
    } else if (!c.running()) {
      Action a = container_action(ActionKind::StartContainer, c, c.state == "created" ? "created, not started" : "stopped");
      std::vector<size_t> start_deps = start_after(service);
      start_deps.insert(start_deps.end(), after.begin(), after.end());
      out.started.push_back(plan_.add(std::move(a), start_deps));
    } else if (restart_for_dependency) {
      Action a = container_action(ActionKind::RestartContainer, c, "dependency recreated (depends_on.restart)");
      a.timeout_seconds = options_.timeout_seconds;
      out.started.push_back(plan_.add(std::move(a), start_after(service)));
    } else {
      plan_.up_to_date.push_back(ref_of(c));
    }
  }

  // The lowest free numbers first.
  void scale_up(ServicePlan& sp, const ExistingContainers& existing, int missing) {
    for (int number = 1; missing > 0; ++number) {
      if (existing.by_number.count(number)) continue;
      --missing;
      const std::string name = container_name(project_, sp.service, number);
      size_t created = plan_.add(create_action(sp.service, name, "missing", number, sp.config_hash, image_id(sp)),
                                 sp.after_dependencies_ready);
      ContainerRef ref{"", created, name};
      sp.outcome.containers.push_back(ref);
      sp.outcome.ready.push_back(created);
      if (!options_.no_start) start_created(sp.service, ref, created, "missing", sp.outcome);
    }
  }

  void start_created(const model::Service& service, const ContainerRef& ref, size_t after_node,
                     const std::string& reason, ServiceOutcome& out) {
    std::vector<size_t> after = start_after(service);
    after.push_back(after_node);
    out.started.push_back(plan_.add(start_action(service, ref, reason), after));
  }

  Action start_action(const model::Service& service, const ContainerRef& ref, const std::string& reason) {
    Action a = container_action(ActionKind::StartContainer, service.name, ref, reason);
    for (const auto& n : service.networks)
      if (const auto* network = project_.find_network(n.name)) a.settle_networks.push_back(network->name);
    return a;
  }

  // Create-before-remove: the new container under "{old id12}_{name}", then
  // the old one stopped and removed, the new one renamed and started.
  void recreate(ServicePlan& sp, const ObservedContainer& old, const std::string& reason,
                const std::vector<size_t>& after) {
    const std::string final_name = container_name(project_, sp.service, old.number);
    Action create = create_action(sp.service, old.id.substr(0, 12) + "_" + final_name, reason, old.number,
                                  sp.config_hash, image_id(sp));
    create.recreate = true;
    create.replaces = ref_of(old);
    create.renew_anonymous_volumes = options_.renew_anonymous_volumes;
    std::string temp_name = create.target;
    size_t created = plan_.add(std::move(create), after);
    size_t removed = remove_container(old, "replaced", {created}, true, options_.renew_anonymous_volumes);
    Action rename = container_action(ActionKind::RenameContainer, sp.service.name, {"", created, temp_name}, reason);
    rename.target = final_name;
    rename.recreate = true;
    size_t renamed = plan_.add(std::move(rename), {removed});
    ContainerRef ref{"", created, final_name};
    sp.outcome.containers.push_back(ref);
    sp.outcome.ready.push_back(renamed);
    sp.outcome.recreated = true;
    if (!options_.no_start) start_created(sp.service, ref, renamed, reason, sp.outcome);
  }

  // Stops `c` when it runs (unless a network recreation stopped it
  // already), then removes it; returns the index of the remove action.
  // `quiet`: a step of a recreate, reported as one "Recreated".
  size_t remove_container(const ObservedContainer& c, const std::string& reason, std::vector<size_t> after,
                          bool quiet = false, bool remove_volumes = false) {
    if (auto it = stopped_for_network_.find(c.id); it != stopped_for_network_.end()) {
      after.push_back(it->second);
    } else if (c.running()) {
      Action stop = container_action(ActionKind::StopContainer, c, reason);
      stop.quiet = quiet;
      stop.timeout_seconds = options_.timeout_seconds;
      after = {plan_.add(std::move(stop), after)};
    }
    Action remove = container_action(ActionKind::RemoveContainer, c, reason);
    remove.quiet = quiet;
    remove.force = true;
    remove.remove_volumes = remove_volumes;
    return plan_.add(std::move(remove), after);
  }

  // --- the whole project

  // A service another one waits on with service_completed_successfully is
  // a one-shot: `up --wait` waits for it to complete instead of failing when
  // it exits, as docker compose does.
  void add_readiness_waits() {
    for (const auto& name : selected_) {
      auto it = outcomes_.find(name);
      if (it == outcomes_.end() || it->second.containers.empty()) continue;
      const char* condition = awaited_to_complete(deps_, name) ? "completed" : "running";
      plan_.add(wait_action(name, condition, it->second.containers, false), it->second.started);
    }
  }

  void orphans() {
    std::vector<std::string> names;
    for (const auto* c : orphan_containers(project_, observed_)) {
      if (options_.remove_orphans) remove_container(*c, "orphan", {});
      else names.push_back(c->name);
    }
    if (!names.empty()) plan_.warnings.push_back(orphan_warning(names));
  }

  // `run`'s container: after what the service's own containers would be
  // created after, and after its dependencies are started, healthy or
  // completed as depends_on says (docker compose's run waits for them too).
  void add_oneoff(const model::Service& service, const RunPlanOptions& run) {
    std::vector<size_t> after = create_after(service);
    for (size_t n : start_after(service))
      if (std::find(after.begin(), after.end(), n) == after.end()) after.push_back(n);
    Action create = create_action(service, run.name, "one-off", 1, model::config_hash(service), image_id_for(service));
    create.oneoff = run.oneoff;
    create.tolerate.adopt = false;  // a name of its own: any other container with it is not this one
    size_t created = plan_.add(std::move(create), after);
    if (run.start) plan_.add(start_action(service, {"", created, run.name}, "one-off"), {created});
  }

  const model::Project& project_;
  const ObservedState& observed_;
  const ConvergeOptions& options_;
  Plan plan_;
  DependencyMap deps_;
  std::set<std::string> targets_, selected_;
  std::map<std::string, ServiceOutcome> outcomes_;
  std::map<std::string, size_t> network_nodes_, volume_nodes_, wait_nodes_;
  std::map<std::string, size_t> stopped_for_network_;       // container ID -> its stop before a network recreation
  std::map<std::string, std::string> recreated_networks_;  // network key -> the recreate reason of its containers
};

}  // namespace

Plan reconcile(const model::Project& project, const ObservedState& observed, const ConvergeOptions& options) {
  return Reconciler(project, observed, options).up();
}

Plan plan_run(const model::Project& project, const ObservedState& observed, const RunPlanOptions& options) {
  ConvergeOptions converge;
  converge.services = {options.service};
  converge.recreate = Recreate::Never;
  converge.no_deps = options.no_deps;
  converge.remove_orphans = options.remove_orphans;
  converge.missing_images_planned = options.missing_images_planned;
  return Reconciler(project, observed, converge).run(options);
}

size_t oneoff_action(const Plan& plan) {
  for (size_t i = 0; i < plan.actions.size(); ++i)
    if (plan.actions[i].oneoff) return i;
  throw Error(ErrorKind::Internal, "the plan creates no one-off container");
}

}  // namespace berth::plan
