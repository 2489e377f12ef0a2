#pragma once
// What the planners share about services: their dependencies (from the
// model, else from the labels of their containers), the order those give,
// which services a command is about, and which containers are orphans.
// Internal to plan.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "berth/plan/observe.h"

namespace berth::model {
struct Project;
struct Service;
}  // namespace berth::model

namespace berth::plan {

struct Dependency {
  std::string service;
  std::string condition = "service_started";
  bool required = true;
  bool restart = false;
};

using DependencyMap = std::map<std::string, std::vector<Dependency>>;

// "db:service_healthy:false,cache:service_started:true" (the depends_on label).
std::vector<Dependency> dependencies_from_label(const std::string& text);

// Every service's dependencies: depends_on, plus the services it shares
// namespaces or volumes with or links to (they must exist first); services
// the model does not have (down without compose files) from their
// containers' labels.
DependencyMap dependency_map(const model::Project& project, const ObservedState& observed);

// Whether another service waits for `service` to complete
// (service_completed_successfully): --wait waits for it to complete, not to run.
bool awaited_to_complete(const DependencyMap& dependencies, const std::string& service);

// Services in dependency order (dependencies first); a cycle is an error.
std::vector<std::string> dependency_order(const DependencyMap& dependencies);

// Whether `service` shares a namespace (network_mode/ipc/pid "service:X") or
// the volumes (volumes_from) of `other`: such a service's containers are
// recreated with other's.
bool refers_to(const model::Service& service, const std::string& other);

// The services named by network_mode/ipc/pid "service:X", volumes_from and links.
std::vector<std::string> referenced_services(const model::Service& service);

// Which services a command is about: the named ones (each must exist in the
// model, or, without a model, among the containers), or all.
std::set<std::string> named_services(const model::Project& project, const ObservedState& observed,
                                     const std::vector<std::string>& services);

// Containers of services the model no longer has (not one-offs); none when
// the model has no services at all (a command run without compose files).
std::vector<const ObservedContainer*> orphan_containers(const model::Project& project, const ObservedState& observed);

// docker compose's warning naming the orphans that are left alone.
std::string orphan_warning(const std::vector<std::string>& names);

}  // namespace berth::plan
