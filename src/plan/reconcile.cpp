#include "berth/plan/reconcile.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/model/config_hash.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/util/error.h"
#include "berth/util/sha256.h"

namespace berth::plan {
namespace {

using nlohmann::json;
namespace L = model::labels;

std::string container_name(const model::Project& project, const model::Service& service, int number) {
  if (service.container_name) return *service.container_name;
  return project.name + "-" + service.name + "-" + std::to_string(number);
}

ContainerRef ref_of(const ObservedContainer& c) { return {c.id, std::nullopt, c.name}; }

// An action on one container (known or created by the plan), named after it.
Action container_action(ActionKind kind, const std::string& service, const ContainerRef& ref,
                        const std::string& reason) {
  Action a;
  a.kind = kind;
  a.service = service;
  a.container = ref;
  a.target = ref.name;
  a.reason = reason;
  return a;
}

Action container_action(ActionKind kind, const ObservedContainer& c, const std::string& reason) {
  return container_action(kind, c.service, ref_of(c), reason);
}

json string_map(const json& v) {
  json out = json::object();
  if (v.is_object())
    for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  return out;
}

json network_body(const model::Project& project, const model::Resource& network) {
  const json& n = *network.json;
  json body = json::object();
  body["CheckDuplicate"] = true;
  body["Driver"] = n.value("driver", "bridge");
  if (n.contains("driver_opts")) body["Options"] = string_map(n["driver_opts"]);
  body["Internal"] = n.value("internal", false);
  body["Attachable"] = n.value("attachable", false);
  if (n.contains("enable_ipv6") && n["enable_ipv6"].is_boolean()) body["EnableIPv6"] = n["enable_ipv6"].get<bool>();
  if (auto it = n.find("ipam"); it != n.end() && it->is_object()) {
    json ipam = json::object();
    if (it->contains("driver")) ipam["Driver"] = (*it)["driver"];
    if (it->contains("options")) ipam["Options"] = string_map((*it)["options"]);
    json configs = json::array();
    for (const auto& c : it->value("config", json::array())) {
      json out = json::object();
      if (c.contains("subnet")) out["Subnet"] = c["subnet"];
      if (c.contains("ip_range")) out["IPRange"] = c["ip_range"];
      if (c.contains("gateway")) out["Gateway"] = c["gateway"];
      if (c.contains("aux_addresses")) out["AuxiliaryAddresses"] = string_map(c["aux_addresses"]);
      configs.push_back(std::move(out));
    }
    if (!configs.empty()) ipam["Config"] = std::move(configs);
    body["IPAM"] = std::move(ipam);
  }
  json labels = string_map(n.value("labels", json::object()));
  labels[L::kProject] = project.name;
  labels[L::kNetwork] = network.key;
  labels[L::kVersion] = std::string(BERTH_VERSION);
  labels[L::kConfigHash] = network_config_hash(network);
  body["Labels"] = std::move(labels);
  return body;
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
    return hash->second == network_config_hash(network) ? "" : visible.empty() ? "config changed" : visible;
  if (visible.empty() && n.value("attachable", false) && !existing.attachable) visible = "attachable";
  return visible;
}

json volume_body(const model::Project& project, const model::Resource& volume) {
  const json& v = *volume.json;
  json body = json::object();
  body["Driver"] = v.value("driver", "local");
  if (v.contains("driver_opts")) body["DriverOpts"] = string_map(v["driver_opts"]);
  json labels = string_map(v.value("labels", json::object()));
  labels[L::kProject] = project.name;
  labels[L::kVolume] = volume.key;
  labels[L::kVersion] = std::string(BERTH_VERSION);
  body["Labels"] = std::move(labels);
  return body;
}

struct Dep {
  std::string service;
  std::string condition = "service_started";
  bool required = true;
  bool restart = false;
};

// "db:service_healthy:false,cache:service_started:true" (the depends_on label).
std::vector<Dep> deps_from_label(const std::string& text) {
  std::vector<Dep> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? text.size() : comma + 1;
    if (item.empty()) continue;
    Dep d;
    auto c1 = item.find(':');
    d.service = item.substr(0, c1);
    if (c1 != std::string::npos) {
      auto c2 = item.find(':', c1 + 1);
      d.condition = item.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
      if (c2 != std::string::npos) d.restart = item.substr(c2 + 1) == "true";
    }
    out.push_back(std::move(d));
  }
  return out;
}

// Services named by network_mode/ipc/pid "service:X", volumes_from and links.
std::vector<std::string> referenced_services(const model::Service& service) {
  std::vector<std::string> out;
  const json& s = *service.json;
  for (const char* key : {"network_mode", "ipc", "pid"})
    if (auto it = s.find(key); it != s.end() && it->is_string() && it->get<std::string>().starts_with("service:"))
      out.push_back(it->get<std::string>().substr(8));
  if (auto it = s.find("volumes_from"); it != s.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string() && !v.get<std::string>().starts_with("container:"))
        out.push_back(v.get<std::string>().substr(0, v.get<std::string>().find(':')));
  if (auto it = s.find("links"); it != s.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>().substr(0, v.get<std::string>().find(':')));
  return out;
}

// Every service's dependencies: from the model, else from the labels of its
// containers (down without compose files).
std::map<std::string, std::vector<Dep>> dependency_map(const model::Project& project, const ObservedState& observed) {
  std::map<std::string, std::vector<Dep>> deps;
  for (const auto& c : observed.containers)
    if (!c.service.empty() && !deps.count(c.service)) {
      auto it = c.labels.find(L::kDependsOn);
      deps[c.service] = it == c.labels.end() ? std::vector<Dep>{} : deps_from_label(it->second);
    }
  for (const auto* list : {&project.services, &project.disabled_services})
    for (const auto& s : *list) {
      auto& v = deps[s.name];
      v.clear();
      for (const auto& d : s.depends_on) v.push_back({d.service, d.condition, d.required, d.restart});
      // A container that shares another's namespaces, volumes or links needs it first.
      for (const auto& other : referenced_services(s))
        if (std::none_of(v.begin(), v.end(), [&](const Dep& d) { return d.service == other; }))
          v.push_back({other, "service_started", true, false});
    }
  return deps;
}

// Services in dependency order (dependencies first); a cycle is an error.
std::vector<std::string> dependency_order(const std::map<std::string, std::vector<Dep>>& deps) {
  Graph graph;
  std::map<std::string, size_t> index;
  for (const auto& [name, _] : deps) index[name] = graph.add_node(name);
  for (const auto& [name, list] : deps)
    for (const auto& d : list)
      if (auto it = index.find(d.service); it != index.end()) graph.add_dependency(index[name], it->second);
  if (auto cycle = graph.find_cycle(); !cycle.empty())
    throw Error(ErrorKind::Config, "dependency cycle between services: " + describe_cycle(cycle));
  std::vector<std::string> order;
  std::vector<bool> done(graph.size(), false);
  std::function<void(size_t)> visit = [&](size_t n) {
    if (done[n]) return;
    done[n] = true;
    for (size_t d : graph.dependencies(n)) visit(d);
    order.push_back(graph.name(n));
  };
  for (size_t n = 0; n < graph.size(); ++n) visit(n);
  return order;
}

bool refers_to(const model::Service& service, const std::string& other) {
  const std::string ref = "service:" + other;
  const json& s = *service.json;
  for (const char* key : {"network_mode", "ipc", "pid"})
    if (auto it = s.find(key); it != s.end() && it->is_string() && it->get<std::string>() == ref) return true;
  if (auto it = s.find("volumes_from"); it != s.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string() && (v.get<std::string>() == other || v.get<std::string>().starts_with(other + ":")))
        return true;
  return false;
}

// Which services a command is about: the named ones (each must exist), or all.
std::set<std::string> named_services(const model::Project& project, const ObservedState& observed,
                                     const std::vector<std::string>& services) {
  std::set<std::string> out;
  if (services.empty()) {
    for (const auto& s : project.services) out.insert(s.name);
    if (project.services.empty())
      for (const auto& c : observed.containers) out.insert(c.service);
    return out;
  }
  for (const auto& name : services) {
    bool known = project.find_service(name) != nullptr;
    for (const auto& s : project.disabled_services) known = known || s.name == name;
    for (const auto& c : observed.containers) known = known || (project.services.empty() && c.service == name);
    if (!known) throw Error(ErrorKind::Usage, "no such service: " + name);
    out.insert(name);
  }
  return out;
}

// Containers of services the model no longer has (not one-offs); none when
// the model has no services at all (a command run without compose files).
std::vector<const ObservedContainer*> orphan_containers(const model::Project& project, const ObservedState& observed) {
  std::vector<const ObservedContainer*> out;
  if (project.services.empty() && project.disabled_services.empty()) return out;
  std::set<std::string> known;
  for (const auto* list : {&project.services, &project.disabled_services})
    for (const auto& s : *list) known.insert(s.name);
  for (const auto& c : observed.containers)
    if (!c.oneoff && !known.count(c.service)) out.push_back(&c);
  return out;
}

std::string orphan_warning(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : " ") + n;
  return "Found orphan containers ([" + list + "]) for this project. If you removed or renamed this service in your "
         "compose file, you can run this command with the --remove-orphans flag to clean it up.";
}

struct ServiceOutcome {
  std::vector<size_t> ready;    // after these its containers exist under their final names
  std::vector<size_t> started;  // after these they run
  std::vector<ContainerRef> containers;
  bool recreated = false;
};

class Reconciler {
 public:
  Reconciler(const model::Project& project, const ObservedState& observed, const ConvergeOptions& options)
      : project_(project), observed_(observed), options_(options) {}

  Plan run() {
    deps_ = dependency_map(project_, observed_);
    select_services();
    recreate_diverged_networks();
    for (const auto& name : dependency_order(deps_)) {
      if (!selected_.count(name)) continue;
      if (const auto* service = project_.find_service(name)) converge_service(*service);
    }
    if (options_.wait && !options_.no_start) add_readiness_waits();
    orphans();
    return std::move(plan_);
  }

 private:
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

  size_t network_node(const std::string& key) {
    const model::Resource* network = project_.find_network(key);
    if (!network) throw Error(ErrorKind::Config, "service refers to undefined network " + key);
    if (auto it = network_nodes_.find(network->name); it != network_nodes_.end()) return it->second;
    size_t node = SIZE_MAX;
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

  size_t create_network(const model::Resource& network, const std::string& reason, const std::vector<size_t>& after) {
    Action a;
    a.kind = ActionKind::CreateNetwork;
    a.target = network.name;
    a.reason = reason;
    a.body = model::JsonBox(network_body(project_, network));
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
    std::vector<const ObservedContainer*> reconnect;
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
        detached.push_back(plan_.add(std::move(disconnect)));
        reconnect.push_back(&c);
      }
    }
    Action remove;
    remove.kind = ActionKind::RemoveNetwork;
    remove.target = network.name;
    remove.engine_id = existing.id;
    remove.reason = "diverged: " + diverged;
    remove.recreate = true;
    size_t removed = plan_.add(std::move(remove), detached);
    size_t created = create_network(network, "diverged: " + diverged, {removed});
    network_nodes_[network.name] = created;
    for (const auto* c : reconnect) {
      Action connect = container_action(ActionKind::ConnectNetwork, *c, reason);
      connect.network = network.name;
      json endpoint = json::object();
      if (!c->oneoff && !c->service.empty()) endpoint["Aliases"] = json::array({c->service});
      connect.body = model::JsonBox(std::move(endpoint));
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
    size_t node = SIZE_MAX;
    if (!observed_.find_volume(volume->name)) {
      if (volume->external)
        throw Error(ErrorKind::NotFound, "volume " + volume->name + " declared as external, but could not be found");
      Action a;
      a.kind = ActionKind::CreateVolume;
      a.target = volume->name;
      a.reason = "missing";
      a.body = model::JsonBox(volume_body(project_, *volume));
      node = plan_.add(std::move(a));
    }
    volume_nodes_[volume->name] = node;
    return node;
  }

  // What a container of `service` is created after: its networks, volumes
  // and the containers of its dependencies.
  std::vector<size_t> create_after(const model::Service& service) {
    std::vector<size_t> after;
    auto push = [&](size_t n) {
      if (n != SIZE_MAX && std::find(after.begin(), after.end(), n) == after.end()) after.push_back(n);
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
    Action a;
    a.kind = ActionKind::WaitContainers;
    a.target = service;
    a.service = service;
    a.condition = condition;
    a.containers = dep.containers;
    a.optional = optional;
    size_t node = plan_.add(std::move(a), dep.started);
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

  std::string image_id_for(const model::Service& service) {
    std::string image = service.image_name(project_.name);
    std::string id = observed_.image_id(image);
    if (id.empty() && observed_.images_listed && !options_.missing_images_planned) {
      // The images step (exec::ensure_images) builds or pulls what is
      // missing; what is still missing here was refused a build (--no-build)
      // or a pull (pull_policy never).
      if (service.has_build)
        throw Error(ErrorKind::NotFound, "service \"" + service.name + "\": image " + image +
                                             " is not built (run `berth build " + service.name + "`, or drop --no-build)");
      throw Error(ErrorKind::NotFound, "service \"" + service.name + "\": image " + image +
                                           " not found locally (run `berth pull " + service.name + "`)");
    }
    return id;
  }

  bool is_dependency(const std::string& service) {
    for (const auto& name : selected_)
      for (const auto& d : deps_[name])
        if (d.service == service) return true;
    return false;
  }

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

  void converge_service(const model::Service& service) {
    ServiceOutcome out;
    int desired = service.scale;
    if (auto it = options_.scale.find(service.name); it != options_.scale.end()) desired = it->second;
    if (desired < 0) throw Error(ErrorKind::Usage, "service \"" + service.name + "\": scale must not be negative");
    if (service.container_name && desired > 1)
      throw Error(ErrorKind::Config, "service \"" + service.name + "\" sets container_name \"" +
                                         *service.container_name + "\", so it cannot be scaled to " +
                                         std::to_string(desired) + " containers");
    const std::string hash = model::config_hash(service);

    // Current containers by number; temporaries of an interrupted recreate
    // are either finished (renamed) or dropped, duplicates removed.
    std::map<int, ObservedContainer> by_number;
    std::map<int, size_t> renamed_at;
    std::vector<const ObservedContainer*> temporaries;
    for (const auto& c : observed_.containers) {
      if (c.service != service.name || c.oneoff) continue;
      if (c.temporary()) {
        temporaries.push_back(&c);
        continue;
      }
      auto [it, fresh] = by_number.emplace(c.number, c);
      if (fresh) continue;
      // Two containers claim one number (a race of older tools): keep the running one.
      ObservedContainer extra = c;
      if (c.running() && !it->second.running()) std::swap(it->second, extra);
      remove_container(extra, "duplicate container number", {});
    }
    // A recreate names its new container like the leftover: remove that first.
    std::map<int, std::vector<size_t>> leftover_removed;
    for (const auto* t : temporaries) {
      if (by_number.count(t->number) || t->number < 1) {
        leftover_removed[t->number].push_back(remove_container(*t, "leftover temporary container", {}));
        continue;
      }
      ObservedContainer c = *t;
      Action a = container_action(ActionKind::RenameContainer, c, "finish interrupted recreate");
      a.target = container_name(project_, service, c.number);
      renamed_at[c.number] = plan_.add(std::move(a));
      c.name = container_name(project_, service, c.number);
      by_number.emplace(c.number, c);
    }

    int kept = 0;
    std::string image_id;
    bool image_known = false;
    auto need_image = [&] {
      if (!image_known) image_id = image_id_for(service);
      image_known = true;
      return image_id;
    };
    std::vector<size_t> after_deps_ready = create_after(service);
    for (auto& [number, c] : by_number) {
      if (kept >= desired) {
        remove_container(c, "scale down", renamed_at.count(number) ? std::vector<size_t>{renamed_at[number]}
                                                                   : std::vector<size_t>{});
        continue;
      }
      ++kept;
      std::string current_image = observed_.images_listed ? observed_.image_id(service.image_name(project_.name)) : "";
      std::string reason = divergence(service, c, hash, current_image);
      std::vector<size_t> after = after_deps_ready;
      if (renamed_at.count(number)) after.push_back(renamed_at[number]);
      for (size_t n : leftover_removed[number]) after.push_back(n);
      if (!reason.empty()) {
        recreate(service, c, reason, hash, need_image(), after, out);
        continue;
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
    // Scale up: the lowest free numbers first.
    for (int number = 1; kept < desired; ++number) {
      if (by_number.count(number)) continue;
      ++kept;
      Action a;
      a.kind = ActionKind::CreateContainer;
      a.service = service.name;
      a.target = container_name(project_, service, number);
      a.reason = "missing";
      a.number = number;
      a.config_hash = hash;
      a.image_id = need_image();
      std::string name = a.target;
      size_t created = plan_.add(std::move(a), after_deps_ready);
      ContainerRef ref{"", created, name};
      out.containers.push_back(ref);
      out.ready.push_back(created);
      if (!options_.no_start) start_created(service, ref, created, "missing", out);
    }
    outcomes_[service.name] = std::move(out);
  }

  void start_created(const model::Service& service, const ContainerRef& ref, size_t after_node,
                     const std::string& reason, ServiceOutcome& out) {
    std::vector<size_t> after = start_after(service);
    after.push_back(after_node);
    out.started.push_back(plan_.add(container_action(ActionKind::StartContainer, service.name, ref, reason), after));
  }

  // Create-before-remove: the new container under "{old id12}_{name}", then
  // the old one stopped and removed, the new one renamed and started.
  void recreate(const model::Service& service, const ObservedContainer& old, const std::string& reason,
                const std::string& hash, const std::string& image_id, const std::vector<size_t>& after,
                ServiceOutcome& out) {
    const std::string final_name = container_name(project_, service, old.number);
    Action create;
    create.kind = ActionKind::CreateContainer;
    create.service = service.name;
    create.target = old.id.substr(0, 12) + "_" + final_name;
    create.reason = reason;
    create.recreate = true;
    create.number = old.number;
    create.config_hash = hash;
    create.image_id = image_id;
    create.replaces = ref_of(old);
    create.renew_anonymous_volumes = options_.renew_anonymous_volumes;
    std::string temp_name = create.target;
    size_t created = plan_.add(std::move(create), after);
    size_t removed = remove_container(old, "replaced", {created}, true, options_.renew_anonymous_volumes);
    Action rename = container_action(ActionKind::RenameContainer, service.name, {"", created, temp_name}, reason);
    rename.target = final_name;
    rename.recreate = true;
    size_t renamed = plan_.add(std::move(rename), {removed});
    ContainerRef ref{"", created, final_name};
    out.containers.push_back(ref);
    out.ready.push_back(renamed);
    out.recreated = true;
    if (!options_.no_start) start_created(service, ref, renamed, reason, out);
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

  // A service another one waits on with service_completed_successfully is
  // a one-shot: `up --wait` waits for it to complete instead of failing when
  // it exits, as docker compose does.
  bool awaited_to_complete(const std::string& name) {
    for (const auto& [dependent, deps] : deps_)
      for (const auto& d : deps)
        if (d.service == name && d.condition == "service_completed_successfully") return true;
    return false;
  }

  void add_readiness_waits() {
    for (const auto& name : selected_) {
      auto it = outcomes_.find(name);
      if (it == outcomes_.end() || it->second.containers.empty()) continue;
      Action a;
      a.kind = ActionKind::WaitContainers;
      a.target = name;
      a.service = name;
      a.condition = awaited_to_complete(name) ? "completed" : "running";
      a.containers = it->second.containers;
      plan_.add(std::move(a), it->second.started);
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

  const model::Project& project_;
  const ObservedState& observed_;
  const ConvergeOptions& options_;
  Plan plan_;
  std::map<std::string, std::vector<Dep>> deps_;
  std::set<std::string> targets_, selected_;
  std::map<std::string, ServiceOutcome> outcomes_;
  std::map<std::string, size_t> network_nodes_, volume_nodes_, wait_nodes_;
  std::map<std::string, size_t> stopped_for_network_;       // container ID -> its stop before a network recreation
  std::map<std::string, std::string> recreated_networks_;  // network key -> the recreate reason of its containers
};

// The containers of the selected services (not one-offs), in dependency order.
std::vector<std::pair<std::string, std::vector<const ObservedContainer*>>> containers_by_service(
    const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services,
    std::map<std::string, std::vector<Dep>>& deps) {
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
  std::map<std::string, std::vector<Dep>> deps;
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

std::string network_config_hash(const model::Resource& network) { return sha256_hex(network.json->dump()); }

Plan reconcile(const model::Project& project, const ObservedState& observed, const ConvergeOptions& options) {
  return Reconciler(project, observed, options).run();
}

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
    plan.add(std::move(a), all_removes);
  }
  if (options.volumes)
    for (const auto& v : observed.volumes) {
      if (v.labels.count(L::kProject) == 0 || v.labels.at(L::kProject) != observed.project) continue;
      Action a;
      a.kind = ActionKind::RemoveVolume;
      a.target = v.name;
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
    plan.add(std::move(a), all_removes);
  }
  if (!orphan_names.empty()) plan.warnings.push_back(orphan_warning(orphan_names));
  return plan;
}

// Like `up`, start waits for the dependencies' conditions (healthy,
// completed) before starting a dependent.
Plan plan_start(const model::Project& project, const ObservedState& observed, const std::vector<std::string>& services) {
  Plan plan;
  std::map<std::string, std::vector<Dep>> deps;
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
        Action wait;
        wait.kind = ActionKind::WaitContainers;
        wait.target = d.service;
        wait.service = d.service;
        wait.condition = d.condition == "service_healthy" ? "healthy" : "completed";
        wait.containers = containers_of[d.service];
        wait.optional = !d.required;
        after.push_back(plan.add(std::move(wait), before));
      } else {
        after.insert(after.end(), before.begin(), before.end());
      }
    }
    for (const auto* c : to_start)
      started[service].push_back(plan.add(container_action(ActionKind::StartContainer, *c, ""), after));
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
  std::map<std::string, std::vector<Dep>> deps;
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

}  // namespace berth::plan
