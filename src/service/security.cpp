#include "security.h"

#include <nlohmann/json.hpp>

#include "berth/loader/environments.h"
#include "berth/model/project.h"
#include "berth/service/global_options.h"
#include "berth/util/error.h"

namespace berth::service {

policy::PolicyOptions policy_options(const GlobalOptions& global, const model::Project& project) {
  policy::PolicyOptions options;
  if (!global.security.empty()) {
    options.level = policy::parse_level(global.security);
    if (!options.level)
      throw Error(ErrorKind::Usage, "--security must be compat, standard or strict, not \"" + global.security + "\"");
  }
  const auto& environment = global.project.environment;
  if (environment && !environment->empty()) {
    const auto& extensions = *project.extensions;
    nlohmann::json x_berth = extensions.is_object() ? extensions.value("x-berth", nlohmann::json()) : nlohmann::json();
    auto mark = [&project](const std::string& pointer) {
      return project.source_mark ? project.source_mark("/x-berth" + pointer) : SourceMark{};
    };
    auto definition = loader::find_environment(x_berth, *environment, mark);
    if (!options.level && definition.security) options.level = policy::parse_level(*definition.security);
    options.environment = definition.name;
    options.forbid_labels = definition.forbid_labels;
  }
  return options;
}

}  // namespace berth::service
