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

// Returns the image ID ("" when the engine did not say). When the build
// fails, `failure_tail` (when given) receives the failing step, its
// Dockerfile line when known and its last output lines, indented, to append
// to the error; the engine's error is then thrown. A BuildKit build serves
// its secrets and SSH ids through a build session for as long as it runs.
std::string run_build(engine::Engine& engine, BuildJob& job, const std::function<void(const std::string& line)>& on_line,
                      engine::CancelToken* cancel, std::string* failure_tail = nullptr);

}  // namespace berth::builder
