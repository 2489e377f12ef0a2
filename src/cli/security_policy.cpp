#include "cli/security_policy.h"

#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/loader/environments.h"
#include "berth/model/project.h"
#include "berth/util/error.h"

namespace berth::cli {

namespace {

// Connects on the first question, once; an engine that cannot be reached
// makes every image unknown rather than failing `config` or `audit`.
class EngineImages {
 public:
  std::optional<policy::ImageFacts> facts(const std::string& image) {
    std::lock_guard lock(mutex_);
    if (!tried_) {
      tried_ = true;
      try {
        engine_ = engine::DockerEngine::from_environment();
      } catch (const Error&) {
        engine_.reset();
      }
    }
    if (!engine_) return std::nullopt;
    try {
      return policy::image_facts_from_inspect(engine_->inspect_image(image));
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::EngineUnavailable) engine_.reset();
      return std::nullopt;
    }
  }

 private:
  std::mutex mutex_;
  bool tried_ = false;
  std::unique_ptr<engine::DockerEngine> engine_;
};

}  // namespace

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
  auto images = std::make_shared<EngineImages>();
  options.image = policy::cached([images](const std::string& image) { return images->facts(image); });
  return options;
}

void apply_security_policy(model::Project& project, const GlobalOptions& global) {
  policy::apply(project, policy_options(global, project));
}

void check_security_policy_before_images(const model::Project& project, const GlobalOptions& global) {
  policy::check_before_images(project, policy_options(global, project));
}

policy::PolicyResult preview_security_policy(model::Project& project, const GlobalOptions& global) {
  auto result = policy::evaluate(project, policy_options(global, project));
  for (const auto& refusal : result.refusals) std::cerr << "WARN[0000] " << refusal.to_string() << "\n";
  return result;
}

}  // namespace berth::cli
