#include "cli/security_policy.h"

#include <algorithm>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>
#include <utility>
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
  using Facts = std::optional<policy::ImageFacts>;

  EngineImages() = default;
  EngineImages(const EngineImages&) = delete;
  EngineImages& operator=(const EngineImages&) = delete;
  ~EngineImages() { finish_asking(); }

  void start_connecting() {
    std::lock_guard lock(mutex_);
    if (connection_.valid()) return;
    try {
      connection_ = std::async(std::launch::async, connect).share();
    } catch (const std::system_error&) {
      // No thread to spare: connected on the first question.
    }
  }

  // Starts asking about the `images` not asked about yet, on a few threads;
  // facts() then waits for those answers instead of asking again. Answers
  // are kept for the process: ask once the images exist (built, pulled).
  void ask(std::vector<std::string> images) {
    std::vector<std::pair<std::string, std::promise<Facts>>> questions;
    {
      std::lock_guard lock(mutex_);
      for (auto& image : images) {
        if (answers_.count(image)) continue;
        std::promise<Facts> answer;
        answers_.emplace(image, answer.get_future().share());
        questions.emplace_back(std::move(image), std::move(answer));
      }
    }
    if (questions.empty()) return;
    auto shared = std::make_shared<decltype(questions)>(std::move(questions));
    const std::size_t askers = std::min(shared->size(), kAskers);
    for (std::size_t first = 0; first < askers; ++first) {
      auto ask_some = [this, shared, first, askers] {
        for (std::size_t i = first; i < shared->size(); i += askers) {
          auto& [image, answer] = (*shared)[i];
          try {
            answer.set_value(ask_engine(image));
          } catch (...) {
            answer.set_exception(std::current_exception());
          }
        }
      };
      try {
        std::lock_guard lock(mutex_);
        askers_.emplace_back(ask_some);
      } catch (const std::system_error&) {
        ask_some();
      }
    }
  }

  // Waits for every question asked, also those about images nobody waited
  // for (a service disabled by its profiles): no thread may outlive main.
  void finish_asking() {
    std::vector<std::thread> askers;
    {
      std::lock_guard lock(mutex_);
      askers.swap(askers_);
    }
    for (auto& asker : askers) asker.join();
  }

  Facts facts(const std::string& image) {
    std::shared_future<Facts> asked;
    {
      std::lock_guard lock(mutex_);
      if (auto it = answers_.find(image); it != answers_.end()) asked = it->second;
    }
    return asked.valid() ? asked.get() : ask_engine(image);
  }

 private:
  static constexpr std::size_t kAskers = 4;

  Facts ask_engine(const std::string& image) {
    std::shared_ptr<engine::DockerEngine> engine = connected();
    if (!engine) return std::nullopt;
    try {
      return policy::image_facts_from_inspect(engine->inspect_image(image));
    } catch (const Error&) {
      return std::nullopt;
    }
  }

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
  std::map<std::string, std::shared_future<Facts>> answers_;  // asked by ask()
  std::vector<std::thread> askers_;
};

EngineImages& engine_images() {
  static EngineImages images;
  return images;
}

// Asks for the facts of every image the project's services use at once, so
// that the policy, which asks service by service, finds them answered.
void ask_about_images(const model::Project& project) {
  std::vector<std::string> images;
  for (const auto& service : project.services) images.push_back(service.image_name(project.name));
  engine_images().ask(std::move(images));
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

void start_asking_about_images(std::vector<std::string> images) { engine_images().ask(std::move(images)); }

void finish_asking_about_images() { engine_images().finish_asking(); }

void apply_security_policy(model::Project& project, const GlobalOptions& global) {
  const auto options = policy_options(global, project);
  ask_about_images(project);
  policy::apply(project, options);
}

void check_security_policy_before_images(const model::Project& project, const GlobalOptions& global) {
  policy::check_before_images(project, policy_options(global, project));
}

policy::PolicyResult preview_security_policy(model::Project& project, const GlobalOptions& global) {
  const auto options = policy_options(global, project);
  ask_about_images(project);
  auto result = policy::evaluate(project, options);
  for (const auto& refusal : result.refusals) std::cerr << "WARN[0000] " << refusal.to_string() << "\n";
  return result;
}

}  // namespace berth::cli
