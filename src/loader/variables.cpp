#include "berth/loader/variables.h"

#include "berth/loader/diagnostics.h"
#include "berth/loader/environment.h"
#include "berth/loader/environments.h"
#include "interpolation.h"
#include "merge_keys.h"
#include "berth/loader/project_files.h"
#include "yaml_reader.h"

namespace berth::loader {

std::map<std::string, ProjectVariable> project_variables(const ProjectOptions& options) {
  Diagnostics quiet;
  const Environment process_env = process_environment();
  auto resolved = resolve_project(options, process_env, quiet);
  // A named environment (--env) adds its files, whose variables count too.
  if (options.environment && !options.environment->empty())
    apply_environment(resolved, *options.environment, process_env);
  std::map<std::string, ProjectVariable> variables;
  for (const auto& file : resolved.files) {
    auto documents = file.content ? read_yaml_documents(*file.content, file.display_name()) : read_yaml_file(file.path);
    for (auto& doc : documents) {
      apply_merge_keys(doc);
      for (const auto& use : list_variables(doc)) {
        ProjectVariable& variable = variables[use.name];
        variable.required = variable.required || use.required;
        if (use.default_value) variable.default_value = *use.default_value;
        if (use.alternate_value) variable.alternate = *use.alternate_value;
      }
    }
  }
  return variables;
}

}  // namespace berth::loader
