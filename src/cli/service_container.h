#pragma once
// Finds the container of one replica of a service (exec, attach, top, port,
// ...): the project's non-one-off container with the service label and the
// container-number label equal to `index`.
#include <string>

#include "berth/engine/types.h"

namespace berth::engine {
class Engine;
}

namespace berth::cli {

struct ServiceContainer {
  std::string id;
  std::string name;  // without the engine's leading "/"
  std::string state;
};

// Throws a Usage error naming the service when it has no container with that
// index, and (with `running`) when that container is not running.
ServiceContainer find_service_container(engine::Engine& engine, const std::string& project,
                                        const std::string& service, int index, bool running);

}  // namespace berth::cli
