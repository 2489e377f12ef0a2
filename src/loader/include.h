#pragma once
// compose's top-level `include:`:
//
//   include:
//     - ../commons/compose.yaml               # short form
//     - path: [a.yaml, a.override.yaml]       # long form; later paths override
//       project_directory: ..                 # default: first path's directory
//       env_file: [a.env]                     # default: <project_directory>/.env
//
// Each entry is loaded as its own project: its files are read and
// interpolated with ITS environment: its env files (default: its project
// directory's .env) under the including project's environment, which wins
// (compose-go's rule, so the including project can customize). Its own
// extends and includes are resolved (recursively; a cycle is an error naming
// the chain "a.yaml -> b.yaml -> a.yaml"), its files are merged, and its relative paths are made absolute against its project
// directory. Then its services, networks, volumes, secrets, configs and
// models are added to the including document. A resource that is already
// defined differently is an error naming both positions (docker compose's
// rule); one defined identically is accepted once.
//
// Relative include paths (and project_directory, env_file) resolve against
// the directory of the including project (`project_directory` argument).
#include <string>
#include <vector>

#include "berth/loader/environment.h"
#include "node.h"

namespace berth::loader {

class Diagnostics;

struct IncludeContext {
  // The including project's interpolation environment (process env over its
  // .env, UID/GID); wins over each included project's env files.
  Environment environment;
  Diagnostics* diagnostics = nullptr;  // warnings from included files; may be null
  bool interpolate = true;
  // Absolute paths of the files being included, outermost first; used to
  // detect cycles. Callers start with the top-level file.
  std::vector<std::string> chain;
};

// Resolves the `include:` of `document` (read from absolute path `file`,
// whose relative paths resolve against `project_directory`), in place: the
// key is removed and the included resources are added. Call it per file,
// after that file's extends (extends.h) and before the files are merged
// (merge.h), like compose-go.
void resolve_includes(Node& document, const std::string& file,
                      const std::string& project_directory, const IncludeContext& context);

}  // namespace berth::loader
