#pragma once
// The image facts the security policy asks for, read from the engine
// (GET /images/{name}/json): connected once, on another thread, as soon as
// the object is made (`config` makes it before loading the project, so the
// engine answers while the files are read); the images expected are asked
// about on a few threads at once. An engine that cannot be reached makes
// every image unknown rather than failing `config` or `audit`. Every thread
// is joined before the object goes away.
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "berth/policy/image_facts.h"

namespace berth::engine {
class Engine;
}

namespace berth::exec {

class EngineImageFacts final : public policy::ImageFactsSource {
 public:
  // Starts connecting to the engine at DOCKER_HOST.
  EngineImageFacts();
  // Asks `engine`, which must outlive this object.
  explicit EngineImageFacts(engine::Engine& engine);
  ~EngineImageFacts() override;
  EngineImageFacts(const EngineImageFacts&) = delete;
  EngineImageFacts& operator=(const EngineImageFacts&) = delete;

  std::optional<policy::ImageFacts> facts(const std::string& image) override;
  // Starts asking about the images not asked about yet; facts() then waits
  // for those answers instead of asking again. Answers are kept for the
  // object's life: expect images once they exist (built, pulled).
  void expect(const std::vector<std::string>& images) override;

 private:
  using Facts = std::optional<policy::ImageFacts>;
  Facts ask_engine(const std::string& image);
  std::shared_ptr<engine::Engine> connected();

  std::mutex mutex_;
  std::shared_future<std::shared_ptr<engine::Engine>> connection_;
  std::map<std::string, std::shared_future<Facts>> answers_;  // asked by expect()
  std::vector<std::thread> askers_;
};

}  // namespace berth::exec
