#include "berth/exec/engine_image_facts.h"

#include <algorithm>
#include <system_error>
#include <utility>

#include "berth/engine/docker_engine.h"
#include "berth/util/error.h"

namespace berth::exec {
namespace {

constexpr std::size_t kAskers = 4;

std::shared_ptr<engine::Engine> connect() {
  try {
    std::shared_ptr<engine::Engine> engine = engine::DockerEngine::from_environment();
    engine->api_version();
    return engine;
  } catch (const Error&) {
    return nullptr;
  }
}

}  // namespace

EngineImageFacts::EngineImageFacts() {
  try {
    connection_ = std::async(std::launch::async, connect).share();
  } catch (const std::system_error&) {
    // No thread to spare: connected on the first question.
    connection_ = std::async(std::launch::deferred, connect).share();
  }
}

EngineImageFacts::EngineImageFacts(engine::Engine& engine) {
  std::promise<std::shared_ptr<engine::Engine>> borrowed;
  borrowed.set_value(std::shared_ptr<engine::Engine>(&engine, [](engine::Engine*) {}));
  connection_ = borrowed.get_future().share();
}

EngineImageFacts::~EngineImageFacts() {
  // Also the questions about images nobody waited for (a service disabled
  // by its profiles): no thread may outlive the command.
  std::vector<std::thread> askers;
  {
    std::lock_guard lock(mutex_);
    askers.swap(askers_);
  }
  for (auto& asker : askers) asker.join();
}

void EngineImageFacts::expect(const std::vector<std::string>& images) {
  std::vector<std::pair<std::string, std::promise<Facts>>> questions;
  {
    std::lock_guard lock(mutex_);
    for (const auto& image : images) {
      if (answers_.count(image)) continue;
      std::promise<Facts> answer;
      answers_.emplace(image, answer.get_future().share());
      questions.emplace_back(image, std::move(answer));
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

std::optional<policy::ImageFacts> EngineImageFacts::facts(const std::string& image) {
  std::shared_future<Facts> asked;
  {
    std::lock_guard lock(mutex_);
    if (auto it = answers_.find(image); it != answers_.end()) asked = it->second;
  }
  return asked.valid() ? asked.get() : ask_engine(image);
}

EngineImageFacts::Facts EngineImageFacts::ask_engine(const std::string& image) {
  std::shared_ptr<engine::Engine> engine = connected();
  if (!engine) return std::nullopt;
  try {
    return policy::image_facts_from_inspect(engine->inspect_image(image));
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::shared_ptr<engine::Engine> EngineImageFacts::connected() {
  std::shared_future<std::shared_ptr<engine::Engine>> connection;
  {
    std::lock_guard lock(mutex_);
    connection = connection_;
  }
  return connection.get();
}

}  // namespace berth::exec
