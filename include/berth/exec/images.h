#pragma once
// Images for a project: `build`, `pull`, `push`, and the step `up`, `create`,
// `run` and `scale` take before planning, which builds or pulls what the
// services need as their pull_policy and the command's flags say.
//
// Each function throws berth::Error naming the service and the image on
// failure (exit 1). With ctx.dry_run they print "DRY-RUN ..." lines through
// ctx.progress.message and change nothing.
#include <map>
#include <string>
#include <vector>

namespace berth::model {
struct Project;
}

namespace berth::exec {

struct RunContext;

// What up/create/run/scale were told about images on the command line.
struct ImageOptions {
  enum class Build {
    Policy,  // build when the image is missing or pull_policy says "build"
    Always,  // --build
    Never,   // --no-build: a missing image of a build-only service is an error
  };
  Build build = Build::Policy;
  // --pull: "" (each service's pull_policy), "always", "missing", "never", "build".
  std::string pull;
  bool quiet_pull = false;  // --quiet-pull: no per-layer progress
};

// Builds or pulls the images of `services` (names already closed over their
// dependencies by the caller; empty: every enabled service) so the plan finds
// them. A service whose image is missing and may be neither pulled nor built
// is an error naming it and its pull_policy.
void ensure_images(const model::Project& project, const std::vector<std::string>& services,
                   const ImageOptions& options, const RunContext& ctx);

struct BuildOptions {
  std::vector<std::string> services;  // empty: every service with build:
  bool no_cache = false;              // --no-cache
  bool pull = false;                  // --pull: always try a newer base image
  std::map<std::string, std::string> build_args;  // --build-arg KEY=VALUE (overrides build.args)
  bool quiet = false;                 // -q: no builder output
  bool with_dependencies = false;     // --with-dependencies
};
// `berth build`: each distinct image once, in parallel up to ctx.parallelism.
void build(const model::Project& project, const BuildOptions& options, const RunContext& ctx);

struct PullOptions {
  std::vector<std::string> services;  // empty: every enabled service
  bool ignore_pull_failures = false;
  bool ignore_buildable = false;      // skip services with build:
  bool include_deps = false;
  std::string policy;                 // --policy missing|always; "" = always
  bool quiet = false;
};
void pull(const model::Project& project, const PullOptions& options, const RunContext& ctx);

struct PushOptions {
  std::vector<std::string> services;
  bool ignore_push_failures = false;
  bool quiet = false;
};
void push(const model::Project& project, const PushOptions& options, const RunContext& ctx);

}  // namespace berth::exec
