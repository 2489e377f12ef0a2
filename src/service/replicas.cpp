#include "replicas.h"

#include <algorithm>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/util/error.h"

namespace berth::service {
namespace {

namespace L = model::labels;

std::vector<engine::ContainerSummary> service_containers(engine::Engine& engine, const std::string& project,
                                                         const std::string& service, bool oneoffs) {
  engine::ListContainersOptions options;
  options.all = true;
  options.filters["label"] = {std::string(L::kProject) + "=" + project, std::string(L::kService) + "=" + service};
  auto containers = engine.list_containers(options);
  if (!oneoffs) std::erase_if(containers, [](const auto& c) { return c.label(L::kOneoff) == "True"; });
  return containers;
}

[[noreturn]] void no_container(const std::string& service) {
  throw Error(ErrorKind::Usage, "service \"" + service + "\" has no container; run `berth up` first");
}

}  // namespace

Replica find_replica(engine::Engine& engine, const std::string& project, const std::string& service, int index,
                     bool running) {
  if (index < 1) throw Error(ErrorKind::Usage, "--index must be 1 or more, not " + std::to_string(index));
  auto replicas = service_containers(engine, project, service, false);
  auto found = std::find_if(replicas.begin(), replicas.end(),
                            [&](const auto& c) { return c.label(L::kContainerNumber) == std::to_string(index); });
  if (found == replicas.end()) {
    if (replicas.empty()) no_container(service);
    throw Error(ErrorKind::Usage, "service \"" + service + "\" has no container with index " + std::to_string(index) +
                                      " (it has " + std::to_string(replicas.size()) + ")");
  }
  Replica out{found->id, found->name(), found->state};
  if (running && found->state != "running")
    throw Error(ErrorKind::Usage, "service \"" + service + "\" is not running (container " + out.name + " is " +
                                      found->state + ")");
  return out;
}

std::vector<Replica> all_replicas(engine::Engine& engine, const std::string& project, const std::string& service,
                                  bool oneoffs) {
  std::vector<std::pair<std::string, Replica>> found;  // (number, else name), replica
  for (const auto& c : service_containers(engine, project, service, oneoffs)) {
    auto number = c.label(L::kContainerNumber);
    found.push_back({number.empty() ? c.name() : number, {c.id, c.name(), c.state}});
  }
  if (found.empty()) no_container(service);
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Replica> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

}  // namespace berth::service
