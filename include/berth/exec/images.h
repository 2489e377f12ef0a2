#pragma once
// Images for a project: `build`, `pull`, `push`, and the step `up`, `create`,
// `run` and `scale` take before planning, which builds or pulls what the
// services need as their pull_policy and the command's flags say.
//
// Each function throws berth::Error naming the service and the image on
// failure (exit 1). With ctx.dry_run they print "DRY-RUN ..." lines through
// ctx.progress.message and change nothing.
#include <chrono>
#include <map>
#include <optional>
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
  // "always": pull; "missing": only images not present locally; "" (`berth
  // pull` without --policy): each service's pull_policy as docker compose's
  // pull reads it (never/build: skipped, missing/if_not_present: only when
  // absent, anything else: pulled).
  std::string policy;
  // pull_policy daily/weekly/every_<d> on up/create/run: pull only images
  // that are missing or were last tagged (Metadata.LastTagTime, as docker
  // compose compares) longer ago than this. Overrides `policy`.
  std::optional<std::chrono::seconds> max_age;
  bool quiet = false;                 // no per-layer progress
};
// Services with build: and image: whose pull fails are warnings ("must be
// built from source") but still fail the pull unless ignore_pull_failures,
// as in docker compose; the other services' pulls go on either way.
void pull(const model::Project& project, const PullOptions& options, const RunContext& ctx);

// The refresh interval of pull_policy "daily" (24h), "weekly" (7 days) or
// "every_<duration>" ("every_12h", "every_2d", "every_1w"); nullopt for the
// other policies. Throws ErrorKind::Config for a malformed every_ duration.
std::optional<std::chrono::seconds> pull_policy_max_age(const std::string& pull_policy);

struct PushOptions {
  std::vector<std::string> services;  // empty: every enabled service
  bool ignore_push_failures = false;
  bool quiet = false;                 // no per-layer progress
};
// Pushes the image of each selected service that has both build: and image:
// (what docker compose pushes); the others are left alone.
void push(const model::Project& project, const PushOptions& options, const RunContext& ctx);

}  // namespace berth::exec
