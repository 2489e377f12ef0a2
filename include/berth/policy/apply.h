#pragma once
// Secure defaults applied to the loaded model (DESIGN.md §4). Every value the
// policy sets goes into the service's canonical JSON (so `berth config` shows
// it and containers get it) and is listed in the dev.berth.policy label; a
// value the user wrote is never overridden. Settings that weaken isolation
// are refused unless the service allows them with x-berth: {allow: [...]}.
#include <optional>
#include <string>
#include <vector>

#include "berth/policy/image_facts.h"
#include "berth/policy/level.h"
#include "berth/util/error.h"

namespace berth::model {
struct Project;
}

namespace berth::policy {

struct PolicyOptions {
  // --security or BERTH_SECURITY, else the environment's security; nullopt:
  // from the project (x-berth.security, else standard).
  std::optional<Level> level;
  ImageLookup image;  // may be empty: every image is then unknown
  // The environment chosen with --env / BERTH_ENV ("" = none) and its
  // forbid_labels: an enabled service carrying one of them is refused.
  std::string environment;
  std::vector<std::string> forbid_labels;
};

struct Refusal {
  std::string service;
  std::string allow;    // the x-berth allow entry that would permit it; "" when none can (forbidden labels)
  std::string message;  // what was refused and why
  SourceMark mark;      // where it was written, unknown if nobody knows
  std::string to_string() const;  // "file:line:col: service \"web\": ...; to permit it ..."
};

struct ServiceOutcome {
  std::string service;
  Level level = Level::Standard;
  std::vector<std::string> set;  // "pids_limit=2048", ... (also the label's value)
  std::vector<std::string> pointers;  // what it set, as JSON pointers below the service: "/pids_limit", "/ports/0/host_ip"
};

struct PolicyResult {
  std::vector<ServiceOutcome> services;  // enabled services, in the project's order
  std::vector<Refusal> refusals;
};

// Applies the defaults to every enabled service and collects the refusals
// without throwing for them (the audit wants the whole picture). Throws
// ErrorKind::Config for a malformed x-berth extension.
PolicyResult evaluate(model::Project& project, const PolicyOptions& options);

// evaluate(), then an ErrorKind::Policy error listing every refusal.
PolicyResult apply(model::Project& project, const PolicyOptions& options);

// The refusals that need nothing from the images (hazards such as
// privileged or the Docker socket, and forbidden labels), without changing
// the project: checked before images are built or pulled, so a refused file
// fails at once instead of after a long build. Throws like apply().
void check_before_images(const model::Project& project, const PolicyOptions& options);

}  // namespace berth::policy
