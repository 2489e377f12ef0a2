#pragma once
// A service's build section as a build by the engine's classic builder
// (POST /build): the request with every option that builder has, the build
// context streamed from disk, and the builder's output line by line with the
// failing step's last lines kept for the error.
#include <deque>
#include <functional>
#include <map>
#include <string>

#include "berth/builder/build_context.h"
#include "berth/engine/types.h"

namespace berth::engine {
class Engine;
class CancelToken;
}  // namespace berth::engine
namespace berth::model {
struct Project;
struct Service;
}  // namespace berth::model

namespace berth::builder {

// What `berth build` (and `up --build`) says over the build sections.
struct BuildOverrides {
  bool no_cache = false;                          // --no-cache
  bool pull = false;                              // --pull: always try a newer base image
  std::map<std::string, std::string> build_args;  // --build-arg KEY=VALUE (overrides build.args)
};

struct BuildJob {
  const model::Service* service = nullptr;  // the first service that uses the image
  std::string image;
  ContextSource source;
  engine::BuildOptions request;
};

// The build of `service`'s image. Throws ErrorKind::Config naming the
// option when the section asks for what the classic builder cannot do
// (BuildKit-only options, remote contexts, another platform than the
// engine's: `engine_platform` is asked only then).
BuildJob classic_build_job(const model::Project& project, const model::Service& service,
                           const BuildOverrides& overrides, const std::function<std::string()>& engine_platform);

// Builder output cut into whole lines for `on_line`; the lines of the current
// step ("Step 3/7 : RUN ...") are kept for the error when the build fails.
class BuilderOutput {
 public:
  explicit BuilderOutput(std::function<void(const std::string& line)> on_line) : on_line_(std::move(on_line)) {}

  void feed(const std::string& text);
  void flush();
  // "\n  Step 3/7 : RUN ...\n  <its last lines>" (empty before the first step).
  std::string step_tail() const;

 private:
  void line(std::string text);

  std::function<void(const std::string&)> on_line_;
  std::string pending_;
  std::deque<std::string> step_;
};

// Prepares the context, sends it and follows the build. Returns the image ID
// ("" when the engine did not say). Throws the engine's error after `output`
// has seen the build's last lines.
std::string run_classic_build(engine::Engine& engine, BuildJob& job, BuilderOutput& output,
                              engine::CancelToken* cancel);

}  // namespace berth::builder
