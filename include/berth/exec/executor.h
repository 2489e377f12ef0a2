#pragma once
// Runs a Plan against an Engine: a ready queue over the plan's DAG
// (plan::walk) with bounded parallelism, each action one engine call (or the
// few an action names: a create with its extra networks), reported as
// compose-like progress events. It makes no decisions: what may be adopted,
// what counts as done when it is gone or still in use, which network
// duplicates to settle, is written in each action by the planner
// (plan::Action::tolerate, settle_networks), and the engine's errors are
// read by their typed kind only.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

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

struct ExecuteResult {
  // The engine ID of the container each CreateContainer action made (or
  // adopted), by action index; "" for other actions.
  std::vector<std::string> created;
};

// Runs every action; throws berth::Error naming every failure (the first
// failure's kind), or ErrorKind::Interrupted when a stop request left work
// undone. `project` provides the services' and resources' models for what is
// created.
ExecuteResult execute(const plan::Plan& plan, const model::Project& project, engine::Engine& engine,
                      ui::ProgressSink& progress, const ExecuteOptions& options = {});

}  // namespace berth::exec
