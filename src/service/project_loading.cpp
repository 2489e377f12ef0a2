#include "project_loading.h"

#include <iostream>
#include <optional>

#include "berth/loader/diagnostics.h"
#include "berth/loader/environment.h"
#include "berth/loader/project_files.h"
#include "berth/service/global_options.h"
#include "berth/util/error.h"

namespace berth::service {
namespace {

// The name alone when no compose file can be found but the user named the
// project (-p / COMPOSE_PROJECT_NAME); nullopt when files were found.
std::optional<std::string> name_without_files(const GlobalOptions& global) {
  loader::Diagnostics quiet;
  try {
    loader::resolve_project(global.project, loader::process_environment(), quiet);
    return std::nullopt;
  } catch (const Error&) {
    if (!global.project.files.empty()) throw;  // an explicit -f that is missing is an error
    const auto& name = global.project.project_name;
    if (name && !name->empty()) {
      if (!loader::is_valid_project_name(*name))
        throw Error(ErrorKind::Usage, "invalid project name \"" + *name +
                                          "\": must consist only of lowercase alphanumeric characters, "
                                          "hyphens and underscores as well as start with a letter or number");
      return *name;
    }
    auto env = loader::process_environment();
    auto it = env.find("COMPOSE_PROJECT_NAME");
    if (it != env.end() && !it->second.empty() && loader::is_valid_project_name(it->second)) return it->second;
    throw;
  }
}

}  // namespace

void print_warnings(const loader::Diagnostics& diagnostics) {
  for (const auto& w : diagnostics.warnings()) std::cerr << "WARN[0000] " << w.to_string() << "\n";
}

model::Project load_project(const GlobalOptions& global, const std::vector<std::string>& services,
                            ProjectFiles files, loader::LoadOptions options) {
  if (files == ProjectFiles::Optional) {
    if (auto name = name_without_files(global)) {
      model::Project project;
      project.name = *name;
      return project;
    }
  }
  loader::Diagnostics diagnostics;
  if (options.services.empty()) options.services = services;
  model::Project project;
  try {
    project = loader::load(global.project, diagnostics, options);
  } catch (...) {
    print_warnings(diagnostics);
    throw;
  }
  print_warnings(diagnostics);
  for (const auto& name : services)
    if (!project.find_service(name)) throw Error(ErrorKind::Usage, "no such service: " + name);
  return project;
}

}  // namespace berth::service
