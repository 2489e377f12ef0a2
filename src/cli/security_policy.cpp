#include "cli/security_policy.h"

#include <future>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>
#include <vector>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/loader/environments.h"
#include "berth/model/project.h"
#include "berth/util/error.h"

namespace berth::cli {

namespace {

// The engine, connected once per process and shared by every question; an
// engine that cannot be reached makes every image unknown rather than
// failing `config` or `audit`. Connecting (a ping and the API version) can
// start early, on another thread, while the project is still being loaded.
class EngineImages {
 public:
  void start_connecting() {
    std::lock_guard lock(mutex_);
    if (connection_.valid()) return;
    try {
      connection_ = std::async(std::launch::async, connect).share();
    } catch (const std::system_error&) {
      // No thread to spare: connected on the first question.
    }
  }

  std::optional<policy::ImageFacts> facts(const std::string& image) {
    std::shared_ptr<engine::DockerEngine> engine = connected();
    if (!engine) return std::nullopt;
    try {
      return policy::image_facts_from_inspect(engine->inspect_image(image));
    } catch (const Error&) {
      return std::nullopt;
    }
  }

 private:
  static std::shared_ptr<engine::DockerEngine> connect() {
    try {
      std::shared_ptr<engine::DockerEngine> engine = engine::DockerEngine::from_environment();
      engine->api_version();
      return engine;
    } catch (const Error&) {
      return nullptr;
    }
  }

  std::shared_ptr<engine::DockerEngine> connected() {
    start_connecting();
    std::shared_future<std::shared_ptr<engine::DockerEngine>> connection;
    {
      std::lock_guard lock(mutex_);
      if (!connection_.valid()) connection_ = std::async(std::launch::deferred, connect).share();
      connection = connection_;
    }
    return connection.get();
  }

  std::mutex mutex_;
  std::shared_future<std::shared_ptr<engine::DockerEngine>> connection_;
};

EngineImages& engine_images() {
  static EngineImages images;
  return images;
}

// Asks for the facts of every image the project's services use at once, so
// that the policy, which asks service by service, finds them answered.
void prefetch_image_facts(const policy::PolicyOptions& options, const model::Project& project) {
  if (!options.image) return;
  std::set<std::string> images;
  for (const auto& service : project.services) images.insert(service.image_name(project.name));
  std::vector<std::future<void>> answers;
  for (const auto& image : images) {
    try {
      answers.push_back(std::async(std::launch::async, [&options, image] { options.image(image); }));
    } catch (const std::system_error&) {
      break;  // the rest are asked in turn by the policy
    }
  }
  for (auto& answer : answers) answer.get();
}

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
  options.image = policy::cached([](const std::string& image) { return engine_images().facts(image); });
  return options;
}

void start_engine_for_image_facts() { engine_images().start_connecting(); }

void apply_security_policy(model::Project& project, const GlobalOptions& global) {
  const auto options = policy_options(global, project);
  prefetch_image_facts(options, project);
  policy::apply(project, options);
}

void check_security_policy_before_images(const model::Project& project, const GlobalOptions& global) {
  policy::check_before_images(project, policy_options(global, project));
}

policy::PolicyResult preview_security_policy(model::Project& project, const GlobalOptions& global) {
  const auto options = policy_options(global, project);
  prefetch_image_facts(options, project);
  auto result = policy::evaluate(project, options);
  for (const auto& refusal : result.refusals) std::cerr << "WARN[0000] " << refusal.to_string() << "\n";
  return result;
}

}  // namespace berth::cli
