#pragma once
// The whole loader: files + environment -> model::Project, in compose-go's
// order: read -> merge keys -> interpolate -> include -> extends -> merge
// overrides -> to_json -> schema -> canonical -> normalize -> profiles ->
// consistency -> unused resources dropped (unless --all-resources) -> bind.
#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "berth/loader/project_options.h"
#include "berth/model/project.h"

namespace berth::loader {

class Diagnostics;

struct LoadOptions {
  bool interpolate = true;     // --no-interpolate
  // --no-normalize: no default network, implicit dependencies or resource
  // names (compose-go's Normalize); the canonical form, defaults, paths and
  // environment are still applied.
  bool normalize = true;
  bool resolve_paths = true;   // --no-path-resolution
  bool consistency = true;     // --no-consistency
  // --no-env-resolution: env_file entries stay as they are (not read, not
  // merged into environment) and bare `environment` keys stay unset.
  bool resolve_environment = true;
  // When set, only these services' env_file are read (`config --hash web`
  // must not fail on another service's missing env file).
  std::optional<std::set<std::string>> environment_of;
  std::vector<std::string> services;  // named on the command line: enabled whatever their profiles
  // Called once the merged files name every service's image (`image`, else
  // "{project}-{service}"), profiles not yet applied: `config` starts asking
  // the engine about them while the rest of the loader runs.
  std::function<void(const std::vector<std::string>& images)> images_known;
};

model::Project load(const ProjectOptions& options, Diagnostics& diagnostics,
                    const LoadOptions& load_options = {});

// The JSON stages alone (canonical -> normalize -> profiles -> consistency ->
// unused resources dropped -> bind) on a document that already passed to_json and the schema; `doc` must
// carry "name". Used by load() and by tests.
struct JsonStageInput {
  std::string project_dir;
  std::vector<std::string> config_files;
  std::map<std::string, std::string> environment;
  std::vector<std::string> profiles;  // active
  MarkLookup mark;
  bool all_resources = false;  // keep resources no enabled service uses
};
model::Project load_json(nlohmann::json doc, const JsonStageInput& input,
                         const LoadOptions& load_options = {});

}  // namespace berth::loader
