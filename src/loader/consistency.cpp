#include "consistency.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "to_json.h"
#include "berth/util/strings.h"

namespace berth::loader {

using nlohmann::json;

namespace {

class Checker {
 public:
  Checker(const json& project, const json& disabled, const MarkLookup& mark)
      : project_(project), disabled_(disabled), mark_(mark) {}

  void run() {
    const json* services = section("services");
    if (services)
      for (const auto& [name, service] : services->items())
        if (service.is_object()) check_service(name, service);
    for (const char* kind : {"networks", "volumes", "secrets", "configs"}) check_external(kind);
    if (services) check_cycles(*services);
  }

 private:
  [[noreturn]] void fail(const std::string& ptr, const std::string& message) const {
    throw Error(ErrorKind::Config, located(mark_, ptr, message));
  }

  const json* section(const char* key) const {
    auto it = project_.find(key);
    return it != project_.end() && it->is_object() ? &*it : nullptr;
  }

  bool defined(const char* kind, const std::string& key) const {
    const json* s = section(kind);
    return s && s->contains(key);
  }

  bool is_service(const std::string& name) const {
    const json* s = section("services");
    return s && s->contains(name);
  }

  void require_service(const std::string& owner, const std::string& name, const std::string& ptr,
                       const std::string& relation) const {
    if (is_service(name)) return;
    if (disabled_.is_object() && disabled_.contains(name))
      fail(ptr, "service \"" + owner + "\" " + relation + " service \"" + name +
                    "\" which is disabled by its profiles");
    fail(ptr, "service \"" + owner + "\" " + relation + " undefined service \"" + name + "\"");
  }

  static int replicas(const json& service, const char** from = nullptr) {
    if (auto deploy = service.find("deploy"); deploy != service.end() && deploy->is_object())
      if (auto r = deploy->find("replicas"); r != deploy->end() && r->is_number_integer()) {
        if (from) *from = "deploy.replicas";
        return r->get<int>();
      }
    if (auto s = service.find("scale"); s != service.end() && s->is_number_integer()) {
      if (from) *from = "scale";
      return s->get<int>();
    }
    return 1;
  }

  void check_service(const std::string& name, const json& service) const {
    const std::string ptr = "/services/" + escape_json_pointer_token(name);
    if (!service.contains("image") && !service.contains("build"))
      fail(ptr, "service \"" + name + "\" has neither an image nor a build context specified");

    if (auto networks = service.find("networks"); networks != service.end() && networks->is_object()) {
      if (service.contains("network_mode") && !networks->empty())
        fail(ptr + "/network_mode",
             "service \"" + name + "\" declares mutually exclusive `network_mode` and `networks`");
      for (const auto& [network, _] : networks->items())
        if (!defined("networks", network))
          fail(ptr + "/networks/" + escape_json_pointer_token(network),
               "service \"" + name + "\" refers to undefined network \"" + network + "\"");
    }

    if (auto volumes = service.find("volumes"); volumes != service.end() && volumes->is_array())
      for (size_t i = 0; i < volumes->size(); ++i) {
        const json& v = (*volumes)[i];
        if (!v.is_object() || v.value("type", "") != "volume") continue;
        std::string source = v.value("source", "");
        if (!source.empty() && !defined("volumes", source))
          fail(ptr + "/volumes/" + std::to_string(i),
               "service \"" + name + "\" refers to undefined volume \"" + source + "\"");
      }

    for (const char* kind : {"secrets", "configs"}) {
      auto refs = service.find(kind);
      if (refs == service.end() || !refs->is_array()) continue;
      for (size_t i = 0; i < refs->size(); ++i) {
        const json& ref = (*refs)[i];
        std::string source = ref.is_object() ? ref.value("source", "") : "";
        if (!defined(kind, source))
          fail(ptr + "/" + kind + "/" + std::to_string(i),
               "service \"" + name + "\" refers to undefined " + std::string(kind).substr(0, std::string(kind).size() - 1) +
                   " \"" + source + "\"");
      }
    }

    if (auto deps = service.find("depends_on"); deps != service.end() && deps->is_object())
      for (const auto& [dep, spec] : deps->items()) {
        std::string dptr = ptr + "/depends_on/" + escape_json_pointer_token(dep);
        bool required = !spec.is_object() || spec.value("required", true);
        if (!required && !is_service(dep)) continue;
        if (dep == name) fail(dptr, "service \"" + name + "\" depends on itself");
        require_service(name, dep, dptr, "depends on");
      }

    if (auto links = service.find("links"); links != service.end() && links->is_array())
      for (size_t i = 0; i < links->size(); ++i)
        if ((*links)[i].is_string()) {
          std::string link = (*links)[i].get<std::string>();
          require_service(name, link.substr(0, link.find(':')), ptr + "/links/" + std::to_string(i),
                          "links to");
        }

    if (auto from = service.find("volumes_from"); from != service.end() && from->is_array())
      for (size_t i = 0; i < from->size(); ++i)
        if ((*from)[i].is_string()) {
          std::string entry = (*from)[i].get<std::string>();
          if (entry.starts_with("container:")) continue;
          require_service(name, entry.substr(0, entry.find(':')),
                          ptr + "/volumes_from/" + std::to_string(i), "mounts volumes from");
        }

    auto scale = service.find("scale");
    auto deploy = service.find("deploy");
    // The model counts replicas in an int; a larger count is a typo, and
    // converting it would wrap.
    auto check_count = [&](const json& count, const std::string& at, const char* key) {
      if (count.is_number_integer() && count.get<std::int64_t>() > std::numeric_limits<int>::max())
        fail(at, "service \"" + name + "\" " + key + " " + count.dump() + " is too large (at most " +
                     std::to_string(std::numeric_limits<int>::max()) + ")");
    };
    if (scale != service.end()) check_count(*scale, ptr + "/scale", "scale");
    if (deploy != service.end() && deploy->is_object() && deploy->contains("replicas"))
      check_count((*deploy)["replicas"], ptr + "/deploy/replicas", "deploy.replicas");
    if (scale != service.end() && scale->is_number_integer() && deploy != service.end() &&
        deploy->is_object() && deploy->contains("replicas") && (*deploy)["replicas"].is_number_integer() &&
        (*deploy)["replicas"].get<int>() != scale->get<int>())
      fail(ptr + "/scale", "service \"" + name + "\" sets different values for scale and deploy.replicas");
    if (service.contains("container_name") && replicas(service) > 1)
      fail(ptr + "/container_name",
           "service \"" + name + "\" sets container_name and scale > 1: container names must be unique");
  }

  void check_external(const char* kind) const {
    const json* s = section(kind);
    if (!s) return;
    std::string singular = std::string(kind).substr(0, std::string(kind).size() - 1);
    for (const auto& [key, resource] : s->items()) {
      if (!resource.is_object()) continue;
      auto external = resource.find("external");
      if (external == resource.end() || !external->is_boolean() || !external->get<bool>()) continue;
      for (const auto& [attribute, _] : resource.items()) {
        if (attribute == "name" || attribute == "external" || attribute.starts_with("x-")) continue;
        fail("/" + std::string(kind) + "/" + escape_json_pointer_token(key) + "/" +
                 escape_json_pointer_token(attribute),
             "conflicting parameters \"external\" and \"" + attribute + "\" specified for " +
                 singular + " \"" + key + "\"");
      }
    }
  }

  void check_cycles(const json& services) const {
    enum class State { New, Visiting, Done };
    std::map<std::string, State> state;
    std::vector<std::string> stack;
    std::function<void(const std::string&)> visit = [&](const std::string& name) {
      state[name] = State::Visiting;
      stack.push_back(name);
      const json& service = services[name];
      if (auto deps = service.find("depends_on"); deps != service.end() && deps->is_object())
        for (const auto& [dep, _] : deps->items()) {
          if (!services.contains(dep)) continue;
          if (state[dep] == State::Visiting) {
            std::string chain;
            auto start = std::find(stack.begin(), stack.end(), dep);
            for (auto it = start; it != stack.end(); ++it) chain += *it + " -> ";
            chain += dep;
            fail("/services/" + escape_json_pointer_token(name) + "/depends_on/" +
                     escape_json_pointer_token(dep),
                 "dependency cycle detected: " + chain);
          }
          if (state[dep] == State::New) visit(dep);
        }
      stack.pop_back();
      state[name] = State::Done;
    };
    for (const auto& [name, _] : services.items())
      if (state[name] == State::New) visit(name);
  }

  const json& project_;
  const json& disabled_;
  const MarkLookup& mark_;
};

}  // namespace

void check_consistency(const nlohmann::json& project, const nlohmann::json& disabled_services,
                       const MarkLookup& mark) {
  Checker(project, disabled_services, mark).run();
}

}  // namespace berth::loader
