#include "berth/policy/image_facts.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/policy/level.h"

using nlohmann::json;
using berth::policy::UserKind;

TEST_CASE("image facts from the engine's inspect answer", "[policy]") {
  auto facts = berth::policy::image_facts_from_inspect(json::parse(R"({"Config": {
      "User": "app", "Entrypoint": ["/sbin/tini", "--"], "Healthcheck": {"Test": ["CMD", "true"]}}})"));
  CHECK(facts.user == "app");
  CHECK(facts.entrypoint == std::vector<std::string>{"/sbin/tini", "--"});
  CHECK(facts.has_healthcheck);
  for (const char* text : {R"({})", R"({"Config": null})", R"({"Config": {"User": 5, "Entrypoint": null}})",
                           R"({"Config": {"Healthcheck": {"Test": ["NONE"]}}})"}) {
    CAPTURE(text);
    auto empty = berth::policy::image_facts_from_inspect(json::parse(text));
    CHECK(empty.user.empty());
    CHECK(empty.entrypoint.empty());
    CHECK_FALSE(empty.has_healthcheck);
  }
}

TEST_CASE("user kinds and init entrypoints", "[policy]") {
  struct User {
    const char* user;
    UserKind kind;
  };
  for (const User& u : {User{"", UserKind::Root}, User{"root", UserKind::Root}, User{"0", UserKind::Root},
                        User{"0:1000", UserKind::Root}, User{"root:root", UserKind::Root},
                        User{"1000", UserKind::NonRoot}, User{"app:app", UserKind::NonRoot},
                        User{"nobody", UserKind::NonRoot}}) {
    CAPTURE(u.user);
    CHECK(berth::policy::user_kind(u.user) == u.kind);
  }
  struct Entrypoint {
    std::vector<std::string> entrypoint;
    bool init;
  };
  for (const auto& e : {Entrypoint{{}, false}, Entrypoint{{"tini"}, true}, Entrypoint{{"/usr/bin/dumb-init", "--"}, true},
                        Entrypoint{{"/init"}, true}, Entrypoint{{"/bin/s6-svscan"}, true},
                        Entrypoint{{"docker-entrypoint.sh"}, false}, Entrypoint{{"/app/init.sh"}, false}}) {
    CAPTURE(e.entrypoint);
    CHECK(berth::policy::is_init_entrypoint(e.entrypoint) == e.init);
  }
}

TEST_CASE("cached asks once per image", "[policy]") {
  int calls = 0;
  auto lookup = berth::policy::cached([&](const std::string& image) -> std::optional<berth::policy::ImageFacts> {
    ++calls;
    if (image == "missing") return std::nullopt;
    return berth::policy::ImageFacts{};
  });
  CHECK(lookup("a"));
  CHECK(lookup("a"));
  CHECK_FALSE(lookup("missing"));
  CHECK_FALSE(lookup("missing"));
  CHECK(calls == 2);
}

TEST_CASE("security levels by name", "[policy]") {
  for (auto level : {berth::policy::Level::Compat, berth::policy::Level::Standard, berth::policy::Level::Strict})
    CHECK(berth::policy::parse_level(berth::policy::to_string(level)) == level);
  CHECK_FALSE(berth::policy::parse_level("STRICT"));
  CHECK_FALSE(berth::policy::parse_level(""));
}
