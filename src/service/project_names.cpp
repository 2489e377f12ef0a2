#include "berth/service/project_names.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"

namespace berth::service {

ProjectNames project_names(const loader::ProjectOptions& typed) {
  auto project_options = typed;
  // --env on the line, else BERTH_ENV, as the command itself will see it.
  const char* env_variable = std::getenv("BERTH_ENV");
  if (!project_options.environment && env_variable && *env_variable) project_options.environment = env_variable;
  loader::Diagnostics quiet;
  loader::LoadOptions options;
  options.consistency = false;  // a half-finished file still has service names
  auto project = loader::load(project_options, quiet, options);

  ProjectNames names;
  std::set<std::string> profiles;
  for (const auto* list : {&project.services, &project.disabled_services}) {
    for (const auto& service : *list) {
      names.services.push_back(service.name);
      profiles.insert(service.profiles.begin(), service.profiles.end());
    }
  }
  std::sort(names.services.begin(), names.services.end());
  names.profiles.assign(profiles.begin(), profiles.end());
  const auto& extensions = *project.extensions;
  if (extensions.is_object() && extensions.contains("x-berth")) {
    const auto& x_berth = extensions["x-berth"];
    if (x_berth.is_object() && x_berth.contains("environments") && x_berth["environments"].is_object())
      for (const auto& [name, definition] : x_berth["environments"].items()) names.environments.push_back(name);
  }
  return names;
}

}  // namespace berth::service
