#pragma once
// The names shell completion offers from the project a half-typed command
// line points at. Reads the compose files (never the engine); a file that
// is not finished yet still gives its service names.
#include <string>
#include <vector>

#include "berth/loader/project_options.h"

namespace berth::service {

struct ProjectNames {
  std::vector<std::string> services;      // enabled and disabled by profiles
  std::vector<std::string> profiles;
  std::vector<std::string> environments;  // keys of x-berth.environments
};

// From the project the typed global flags choose (-f, -p,
// --project-directory, --env-file, --profile, --env; BERTH_ENV when --env is
// not typed). Throws when the files cannot be read.
ProjectNames project_names(const loader::ProjectOptions& typed);

}  // namespace berth::service
