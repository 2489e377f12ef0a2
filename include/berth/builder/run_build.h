#pragma once
// Runs a BuildJob with its builder: the classic builder's output or
// BuildKit's progress (decoded from its trace, as `--progress plain` prints
// it) line by line.
#include <functional>
#include <string>

#include "berth/builder/classic_build.h"

namespace berth::engine {
class Engine;
class CancelToken;
}  // namespace berth::engine

namespace berth::builder {

// A BuildKit step as it changes: started, a line of its output, or ended.
struct BuildStep {
  enum class State { Running, Output, Cached, Done, Error };
  int number = 0;        // #N, in the order BuildKit first reported the step
  std::string name;      // "[stage-0 2/3] RUN make"
  State state = State::Running;
  double seconds = 0;    // Done: how long it took; Output: since it started
  std::string text;      // Output: the line; Error: the message
};

// Returns the image ID ("" when the engine did not say). When the build
// fails, `failure_tail` (when given) receives the failing step, its
// Dockerfile line when known and its last output lines, indented, to append
// to the error; the engine's error is then thrown. A BuildKit build serves
// its secrets and SSH ids through a build session for as long as it runs.
// `on_step`, when set, receives a BuildKit build's steps as events instead
// of `on_line` receiving them as lines (the classic builder has only lines).
std::string run_build(engine::Engine& engine, BuildJob& job, const std::function<void(const std::string& line)>& on_line,
                      const std::function<void(const BuildStep& step)>& on_step, engine::CancelToken* cancel,
                      std::string* failure_tail = nullptr);

}  // namespace berth::builder
