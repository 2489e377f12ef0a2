#pragma once
// Runs a Plan against an Engine: a ready queue over the plan's DAG
// (plan::walk) with bounded parallelism, each action one engine call,
// reported as compose-like progress events. It makes no decisions beyond
// what keeps a run convergent: a create that loses a name race (409) adopts
// the container the other run made when it is the same one, and removing or
// stopping something already gone counts as done.
#include <chrono>
#include <functional>
#include <optional>

namespace berth::engine {
class Engine;
}
namespace berth::model {
struct Project;
}
namespace berth::plan {
struct Plan;
}
namespace berth::ui {
class ProgressSink;
}

namespace berth::exec {

struct ExecuteOptions {
  int parallelism = -1;  // <= 0: unlimited
  // Polled between dispatches and while waiting: true stops new work.
  std::function<bool()> interrupted;
  // Bounds the "running" waits of `up --wait`; unset: no limit.
  std::optional<std::chrono::milliseconds> wait_timeout;
  // Health/exit polling backoff.
  std::chrono::milliseconds poll_initial{25};
  std::chrono::milliseconds poll_max{500};
};

// Runs every action; throws berth::Error naming every failure (the first
// failure's kind), or ErrorKind::Interrupted when a stop request left work
// undone. `project` provides the services' models for container creation.
void execute(const plan::Plan& plan, const model::Project& project, engine::Engine& engine,
             ui::ProgressSink& progress, const ExecuteOptions& options = {});

}  // namespace berth::exec
