#include "berth/policy/image_facts.h"

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

namespace berth::policy {

using nlohmann::json;

ImageFacts image_facts_from_inspect(const json& inspect) {
  ImageFacts facts;
  auto config = inspect.find("Config");
  if (config == inspect.end() || !config->is_object()) return facts;
  if (auto user = config->find("User"); user != config->end() && user->is_string()) facts.user = *user;
  if (auto ep = config->find("Entrypoint"); ep != config->end() && ep->is_array())
    for (const auto& part : *ep)
      if (part.is_string()) facts.entrypoint.push_back(part.get<std::string>());
  if (auto hc = config->find("Healthcheck"); hc != config->end() && hc->is_object()) {
    auto test = hc->find("Test");
    bool disabled = test != hc->end() && test->is_array() && !test->empty() && (*test)[0] == "NONE";
    facts.has_healthcheck = test != hc->end() && test->is_array() && !test->empty() && !disabled;
  }
  return facts;
}

ImageLookup cached(ImageLookup lookup) {
  if (!lookup) return lookup;
  struct Cache {
    std::mutex mutex;
    std::map<std::string, std::optional<ImageFacts>> answers;
  };
  auto cache = std::make_shared<Cache>();
  return [cache, lookup = std::move(lookup)](const std::string& image) -> std::optional<ImageFacts> {
    {
      std::lock_guard lock(cache->mutex);
      if (auto it = cache->answers.find(image); it != cache->answers.end()) return it->second;
    }
    auto answer = lookup(image);
    std::lock_guard lock(cache->mutex);
    cache->answers[image] = answer;
    return answer;
  };
}

UserKind user_kind(const std::string& user) {
  std::string name = user.substr(0, user.find(':'));
  if (name.empty() || name == "root" || name == "0") return UserKind::Root;
  return UserKind::NonRoot;
}

bool is_init_entrypoint(const std::vector<std::string>& entrypoint) {
  if (entrypoint.empty()) return false;
  const std::string& program = entrypoint.front();
  if (program == "/init") return true;  // s6-overlay
  std::string base = program.substr(program.find_last_of('/') + 1);
  for (const char* init : {"tini", "tini-static", "dumb-init", "docker-init", "catatonit", "s6-svscan"})
    if (base == init) return true;
  return false;
}

}  // namespace berth::policy
