#include "cli/service_container.h"

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/util/error.h"

namespace berth::cli {

ServiceContainer find_service_container(engine::Engine& engine, const std::string& project,
                                        const std::string& service, int index, bool running) {
  if (index < 1) throw Error(ErrorKind::Usage, "--index must be 1 or more, not " + std::to_string(index));
  engine::ListContainersOptions options;
  options.all = true;
  options.filters["label"] = {std::string(model::labels::kProject) + "=" + project,
                              std::string(model::labels::kService) + "=" + service};
  int replicas = 0;
  const engine::ContainerSummary* found = nullptr;
  auto containers = engine.list_containers(options);
  for (const auto& c : containers) {
    auto oneoff = c.labels.find(model::labels::kOneoff);
    if (oneoff != c.labels.end() && oneoff->second == "True") continue;
    ++replicas;
    auto number = c.labels.find(model::labels::kContainerNumber);
    if (number != c.labels.end() && number->second == std::to_string(index)) found = &c;
  }
  if (!found) {
    if (replicas == 0) throw Error(ErrorKind::Usage, "service \"" + service + "\" has no container; run `berth up` first");
    throw Error(ErrorKind::Usage, "service \"" + service + "\" has no container with index " + std::to_string(index) +
                                      " (it has " + std::to_string(replicas) + ")");
  }
  ServiceContainer out{found->id, found->names.empty() ? found->id.substr(0, 12) : found->names.front(),
                       found->state};
  if (out.name.starts_with("/")) out.name.erase(0, 1);
  if (running && found->state != "running")
    throw Error(ErrorKind::Usage, "service \"" + service + "\" is not running (container " + out.name + " is " +
                                      found->state + ")");
  return out;
}

}  // namespace berth::cli
