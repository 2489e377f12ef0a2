#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loader/profiles.h"

using berth::loader::apply_profiles;
using berth::loader::ProfileSelection;
using nlohmann::json;

namespace {

const char* kProject = R"({"services":{
  "web":   {"image":"x","depends_on":{"db":{"condition":"service_started","required":true}}},
  "db":    {"image":"x"},
  "debug": {"image":"x","profiles":["dev"],"depends_on":{"web":{"condition":"service_started","required":true}}},
  "admin": {"image":"x","profiles":["admin","dev"]},
  "tools": {"image":"x","profiles":["tools"],"depends_on":{"admin":{"condition":"service_started","required":true}}},
  "opt":   {"image":"x","depends_on":{"debug":{"condition":"service_started","required":false}}}
}})";

std::vector<std::string> names(const json& object) {
  std::vector<std::string> out;
  for (const auto& [key, _] : object.items()) out.push_back(key);
  return out;
}

}  // namespace

TEST_CASE("profiles enable services", "[profiles]") {
  struct Case {
    const char* name;
    std::vector<std::string> active;
    std::vector<std::string> named;
    std::vector<std::string> enabled;
  };
  const Case cases[] = {
      {"no profile: only services without profiles", {}, {}, {"db", "opt", "web"}},
      {"dev profile", {"dev"}, {}, {"admin", "db", "debug", "opt", "web"}},
      {"admin profile", {"admin"}, {}, {"admin", "db", "opt", "web"}},
      {"star enables all", {"*"}, {}, {"admin", "db", "debug", "opt", "tools", "web"}},
      {"named service enabled with its dependencies", {}, {"tools"}, {"admin", "db", "opt", "tools", "web"}},
      {"unknown profile changes nothing", {"nope"}, {}, {"db", "opt", "web"}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    json doc = json::parse(kProject);
    json disabled = apply_profiles(doc, ProfileSelection{c.active, c.named}, {});
    CHECK(names(doc["services"]) == c.enabled);
    for (const auto& name : c.enabled) CHECK_FALSE(disabled.contains(name));
    CHECK(doc["services"].size() + disabled.size() == 6);
  }
}

TEST_CASE("optional dependency on a disabled service is dropped", "[profiles]") {
  json doc = json::parse(kProject);
  apply_profiles(doc, ProfileSelection{}, {});
  CHECK_FALSE(doc["services"]["opt"].contains("depends_on"));
}

TEST_CASE("required dependency on a disabled service is an error with position", "[profiles]") {
  json doc = json::parse(R"({"services":{"web":{"depends_on":{"db":{"required":true}}},"db":{"profiles":["x"]}}})");
  auto mark = [](const std::string& pointer) {
    return berth::SourceMark{"compose.yaml", pointer == "/services/web/depends_on/db" ? 4 : 1, 7};
  };
  try {
    apply_profiles(doc, ProfileSelection{}, mark);
    FAIL("no error");
  } catch (const berth::Error& e) {
    CHECK(e.message() ==
          "compose.yaml:4:7: services.web.depends_on.db: service \"web\" depends on service \"db\" which is "
          "disabled by its profiles (enable one of its profiles: x)");
  }
}

TEST_CASE("active profiles come from flags, else COMPOSE_PROFILES", "[profiles]") {
  using berth::loader::active_profiles;
  CHECK(active_profiles({"a", "b", "a"}, {{"COMPOSE_PROFILES", "c"}}) == std::vector<std::string>{"a", "b"});
  CHECK(active_profiles({}, {{"COMPOSE_PROFILES", "c, d,,c"}}) == std::vector<std::string>{"c", "d"});
  CHECK(active_profiles({}, {}).empty());
}
