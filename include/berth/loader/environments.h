#pragma once
// Named environments (DESIGN.md §5): `x-berth.environments.<name>` in the
// compose file, chosen with `--env NAME` or BERTH_ENV.
//
//   x-berth:
//     environments:
//       dev:  {files: [dev.yml], profiles: [dev], env_file: .env.dev}
//       prod: {security: strict, forbid_labels: [not.for.prod]}
//
// The definitions are read from the project's own files (the base files),
// before the environment's files are added: those files are layered after
// the base ones, so they cannot define the environment that adds them.
// Values are taken as written (not interpolated).
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "berth/loader/environment.h"

namespace berth::loader {

struct ResolvedProject;

struct EnvironmentDefinition {
  std::string name;
  std::vector<std::string> files;          // layered after the project's files; relative to the project dir
  std::vector<std::string> profiles;       // activated, added to --profile / COMPOSE_PROFILES
  std::vector<std::string> env_files;      // read after the project's .env / --env-file; relative to the project dir
  std::optional<std::string> security;     // compat, standard or strict
  std::vector<std::string> forbid_labels;  // label keys no enabled service may carry
};

// Finds `name` in a top-level `x-berth` value (null or missing when the file
// has none). `mark` (may be empty) gives positions below "/x-berth" for
// messages. Errors (ErrorKind::Config): no environments at all, an unknown
// name (listing the known ones), an unknown key or a value of the wrong type.
EnvironmentDefinition find_environment(const nlohmann::json& x_berth, const std::string& name,
                                       const MarkLookup& mark = {});

// The loader's step after resolve_project: reads `x-berth` from the merged
// base files, then adds the environment's files, profiles and env files to
// `resolved` (an env file's variables rank below the process environment and
// above the project's .env).
EnvironmentDefinition apply_environment(ResolvedProject& resolved, const std::string& name,
                                        const Environment& process_env);

}  // namespace berth::loader
