#pragma once
// Loading the project a command is about. Internal to service.
#include <string>
#include <vector>

#include "berth/loader/load.h"
#include "berth/model/project.h"

namespace berth::loader {
class Diagnostics;
}

namespace berth::service {

struct GlobalOptions;

enum class ProjectFiles {
  Required,  // up, create, run, scale, build...: the compose files are the desired state
  Optional,  // down, ps, stop...: with -p (or COMPOSE_PROJECT_NAME) and no file, the engine's labels suffice
};

// Loads the project, printing the loader's warnings on stderr. With
// ProjectFiles::Optional and no compose file found but a project name given,
// returns a project with only its name. Services named on the command line
// must exist in a project loaded from files. The security policy is not
// applied here: commands that create containers do that (prepare_containers).
model::Project load_project(const GlobalOptions& global, const std::vector<std::string>& services,
                            ProjectFiles files, loader::LoadOptions options = {});

// The loader's warnings as docker compose prints them ("WARN[0000] ...").
void print_warnings(const loader::Diagnostics& diagnostics);

}  // namespace berth::service
