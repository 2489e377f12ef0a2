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
  std::optional<Level> level;  // --security or BERTH_SECURITY; nullopt: from the project
  ImageLookup image;           // may be empty: every image is then unknown
};

struct Refusal {
  std::string service;
  std::string allow;    // the x-berth allow entry that would permit it
  std::string message;  // what was refused and why
  SourceMark mark;      // where it was written, unknown if nobody knows
  std::string to_string() const;  // "file:line:col: service \"web\": ...; to permit it ..."
};

struct ServiceOutcome {
  std::string service;
  Level level = Level::Standard;
  std::vector<std::string> set;  // "pids_limit=2048", ... (also the label's value)
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

}  // namespace berth::policy
