#pragma once
// A service's build section as a build by the engine: BuildKit (POST
// /build?version=2 with a build session, see buildkit_build.h) or the classic
// builder (POST /build). The request with every option the chosen builder
// has, the build context streamed from disk, and the classic builder's
// output line by line with the failing step's last lines kept for the error.
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

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
  std::vector<std::string> ssh;                   // --ssh: "default" or "id=path[,path]", every build
};

enum class Builder { Classic, BuildKit };

// A build secret served by the build session under `id` (the secret's
// target, else its name), from a file or an environment variable.
struct BuildSecret {
  std::string id;
  std::string file;         // read when the engine asks, or
  std::string environment;  // the variable's name, and
  std::string value;        // its value (never printed)
};

// An SSH id the build may use: the agent ($SSH_AUTH_SOCK) when `paths` is
// empty, else agent sockets or key files.
struct BuildSsh {
  std::string id;
  std::vector<std::string> paths;
};

struct BuildJob {
  const model::Service* service = nullptr;  // the first service that uses the image
  std::string image;
  Builder builder = Builder::Classic;
  ContextSource source;
  engine::BuildOptions request;
  std::vector<BuildSecret> secrets;  // BuildKit only
  std::vector<BuildSsh> ssh;         // BuildKit only
};

// What the engine's BuildKit can do through POST /build?version=2.
struct EngineBuildKit {
  bool offered = false;        // every Linux engine of API 1.41 and later
  bool takes_limits = false;   // build ulimits and shm_size (API 1.42, Docker 23, and later)
};

struct BuilderChoice {
  Builder builder = Builder::Classic;
  std::string note;  // why BuildKit was not used although offered ("" otherwise)
};

// The builder for `service`: BuildKit when the engine offers it, unless
// DOCKER_BUILDKIT (from `environment`) is 0/false or the service's
// `x-berth: {builder: classic}` asks for the classic one, or the build sets
// ulimits/shm_size that the engine's BuildKit would ignore (then the
// classic builder, with a note saying so). DOCKER_BUILDKIT=1 or `builder:
// buildkit` require BuildKit: an engine without it, or build limits it would
// ignore, are then ErrorKind::Config errors, as is a bad x-berth.builder.
BuilderChoice choose_builder(const model::Service& service, const std::map<std::string, std::string>& environment,
                             const EngineBuildKit& engine);

// The build of `service`'s image with `builder`. Throws ErrorKind::Config
// naming the option when the section asks for what that builder cannot do
// (for the classic one: BuildKit-only options; for both: remote contexts,
// another platform than the engine's: `engine_platform` is asked only
// then), and for a build secret whose file is missing or whose variable is
// unset, before anything is sent.
BuildJob build_job(const model::Project& project, const model::Service& service, const BuildOverrides& overrides,
                   Builder builder, const std::function<std::string()>& engine_platform);

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
