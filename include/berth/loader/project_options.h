#pragma once
// What the user said about which project to load: the global flags of
// `docker compose` that select files, directory, name, environment and
// profiles. Filled by the CLI, consumed by loader::load.
#include <optional>
#include <string>
#include <vector>

namespace berth::loader {

struct ProjectOptions {
  std::vector<std::string> files;          // -f, in order; "-" is stdin
  std::optional<std::string> project_directory;  // --project-directory
  std::optional<std::string> project_name;       // -p
  std::vector<std::string> profiles;       // --profile, repeatable
  std::vector<std::string> env_files;      // --env-file, repeatable
  std::string working_dir;                 // where berth was started; "" = current dir
  std::optional<std::string> environment;  // --env / BERTH_ENV: x-berth.environments.<name> (environments.h)
  // --all-resources: keep the networks, volumes, secrets and configs no
  // service uses (docker compose leaves them out of the project otherwise).
  bool all_resources = false;
};

}  // namespace berth::loader
