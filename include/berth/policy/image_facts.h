#pragma once
// What the policy and the audit need to know about an image (its configured
// user, entrypoint and healthcheck), asked through an interface so that the
// policy never talks to the engine itself and unit tests need none.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace berth::policy {

struct ImageFacts {
  std::string user;                     // Config.User; "" means root
  std::vector<std::string> entrypoint;  // Config.Entrypoint
  bool has_healthcheck = false;         // Config.Healthcheck present and not NONE
};

// nullopt when the image is not known (not pulled or built yet, no engine).
using ImageLookup = std::function<std::optional<ImageFacts>(const std::string& image)>;

// Where the facts come from when a command applies the policy: the engine
// (exec::EngineImageFacts), or anything a test supplies.
class ImageFactsSource {
 public:
  virtual ~ImageFactsSource() = default;
  // nullopt when the image is not known. Called from several threads.
  virtual std::optional<ImageFacts> facts(const std::string& image) = 0;
  // The images about to be asked about: a source may start finding out now.
  virtual void expect(const std::vector<std::string>& images) { (void)images; }
};

// Reads the facts from the engine's image-inspect answer.
ImageFacts image_facts_from_inspect(const nlohmann::json& inspect);

// Wraps `lookup` so that each image is asked about once.
ImageLookup cached(ImageLookup lookup);

enum class UserKind { Root, NonRoot, Unknown };

// "" (the engine's default), "root", "0", "root:x" and "0:x" are root.
UserKind user_kind(const std::string& user);

// True when the entrypoint's program is an init that reaps zombies and
// forwards signals (tini, dumb-init, catatonit, docker-init, s6's /init).
bool is_init_entrypoint(const std::vector<std::string>& entrypoint);

}  // namespace berth::policy
