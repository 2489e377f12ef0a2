#pragma once
// Which files make up the project, where it lives, its environment, name
// and profiles: the first step of loader::load, before any YAML is read.
//
// Files: -f (repeatable, "-" = stdin, read once), else COMPOSE_FILE split on
// COMPOSE_PATH_SEPARATOR (default ":"), else the first of compose.yaml,
// compose.yml, docker-compose.yaml, docker-compose.yml found in the working
// dir or a parent, plus its matching override file (compose.override.yaml,
// ...). COMPOSE_FILE, COMPOSE_PROJECT_NAME, COMPOSE_PROFILES and
// COMPOSE_PATH_SEPARATOR may come from the .env file of the working dir (or
// of --project-directory), the process environment wins.
//
// Project directory: --project-directory, else the first file's directory
// (stdin: the working dir). Environment: see environment.h; env files are
// --env-file (relative to the working dir), else COMPOSE_ENV_FILES (comma
// separated, from the process environment), else <project_dir>/.env.
//
// Project name: -p > COMPOSE_PROJECT_NAME > top-level `name:` > basename of
// the project dir. The first two must already be valid (error otherwise,
// like docker compose); `name:` and the basename are normalized.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/loader/environment.h"
#include "berth/loader/project_options.h"

namespace berth::loader {

class Diagnostics;

struct ConfigFile {
  std::string path;                    // absolute path, or "-" for stdin
  std::optional<std::string> content;  // set for stdin (already read)
  // The name marks and messages use: the path, or "<stdin>".
  std::string display_name() const;
};

struct ResolvedProject {
  std::vector<ConfigFile> files;  // in merge order
  std::string working_dir;        // absolute
  std::string project_dir;        // absolute
  Environment env;                // interpolation environment (process over files, UID/GID)
  // -p or COMPOSE_PROJECT_NAME, already validated; empty when neither given.
  std::optional<std::string> explicit_name;
  // Normalized basename of project_dir: the name when nothing else gives one.
  std::string default_name;
  std::vector<std::string> profiles;  // --profile then COMPOSE_PROFILES, no duplicates
};

// Resolves files, directories, environment, name hint and profiles.
// `process_env` is normally process_environment(); `stdin_reader` returns
// all of stdin (tests pass their own). Throws config/usage errors for
// missing files, nothing found, invalid -p, missing --env-file.
ResolvedProject resolve_project(const ProjectOptions& options, const Environment& process_env,
                                Diagnostics& diagnostics);

// The final project name: explicit_name, else `name_from_files` (the merged
// top-level `name:` after interpolation, normalized; an error when nothing
// is left), else default_name (an error when empty, e.g. for "/").
std::string choose_project_name(const ResolvedProject& project,
                                const std::optional<std::string>& name_from_files);

// docker compose's rules: lowercase [a-z0-9_-], first char a letter or digit.
bool is_valid_project_name(std::string_view name);
// Lowercases and drops every other character (leading '_'/'-' too);
// may return "" when nothing is left.
std::string normalize_project_name(std::string_view name);

// Candidate names searched when no file is given, in preference order.
const std::vector<std::string>& default_compose_file_names();

}  // namespace berth::loader
