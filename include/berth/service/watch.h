#pragma once
// `watch` and `up --watch`: the compose file's develop.watch rules applied
// as files change (see the README's "Watch" section for the behaviour).
#include <string>
#include <vector>

namespace berth::service {

struct GlobalOptions;

struct WatchOptions {
  std::vector<std::string> services;  // empty: every service with develop.watch
  bool no_up = false;                 // --no-up: do not build and start first
  bool prune = true;                  // --prune: remove the image a rebuild replaced
  bool quiet = false;                 // --quiet: no builder output
};

// Brings the services up (unless no_up), then watches until Ctrl-C/SIGTERM;
// returns 0 then. Errors before watching starts (no rule, a bad rule) throw
// berth::Error; a failing action while watching is reported and watching
// goes on.
int watch(const GlobalOptions& global, const WatchOptions& options);

}  // namespace berth::service
