#pragma once
// Images for a project: `berth build`, `pull` and `push`, and what up,
// create, run and scale are told about images on the command line.
//
// Each throws berth::Error naming the service and the image on failure
// (exit 1). With --dry-run they print "DRY-RUN ..." lines and change nothing.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/builder/classic_build.h"

namespace berth::service {

struct GlobalOptions;

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
  bool quiet_build = false;  // --quiet-build: no builder output
};

struct BuildOptions {
  std::vector<std::string> services;  // empty: every service with build:
  builder::BuildOverrides overrides;    // --no-cache, --pull, --build-arg
  bool quiet = false;                 // -q: no builder output
  bool with_dependencies = false;     // --with-dependencies
  bool push = false;                  // --push: push what was built afterwards
};
// `berth build`: each distinct image once, in parallel up to --parallel.
// --build-arg KEY without a value takes KEY from the project's environment
// (build_args_from_environment), as docker compose does.
void build(const GlobalOptions& global, BuildOptions options,
           const std::vector<std::string>& build_args_from_environment = {});

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
void pull(const GlobalOptions& global, const PullOptions& options);

struct PushOptions {
  std::vector<std::string> services;  // empty: every enabled service
  bool ignore_push_failures = false;
  bool include_deps = false;          // --include-deps: the named services' dependencies too
  bool quiet = false;                 // no per-layer progress
};
// Pushes the image of each selected service that has both build: and image:
// (what docker compose pushes); the others are left alone.
void push(const GlobalOptions& global, const PushOptions& options);

}  // namespace berth::service
