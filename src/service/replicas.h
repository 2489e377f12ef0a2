#pragma once
// Which of a service's containers a command means (exec, attach, cp, port,
// logs --index): its replicas are the project's non-one-off containers with
// the service label, told apart by their container-number label. Internal
// to service.
#include <string>
#include <vector>

namespace berth::engine {
class Engine;
}

namespace berth::service {

struct Replica {
  std::string id;
  std::string name;  // without the engine's leading "/"
  std::string state;
};

// The replica numbered `index`. Throws a Usage error naming the service when
// it has no container with that index, and (with `running`) when that
// container is not running.
Replica find_replica(engine::Engine& engine, const std::string& project, const std::string& service, int index,
                     bool running);

// Every replica in number order (with `oneoffs`, the service's `run`
// containers too). Throws a Usage error when there is none.
std::vector<Replica> all_replicas(engine::Engine& engine, const std::string& project, const std::string& service,
                                  bool oneoffs);

}  // namespace berth::service
