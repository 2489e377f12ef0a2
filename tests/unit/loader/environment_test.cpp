#include "berth/loader/environment.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

TEST_CASE("process environment wins over env files, UID/GID are provided", "[loader][environment]") {
  using berth::loader::Environment;
  struct Case {
    Environment process;
    Environment files;
    Environment expected_subset;
  };
  const std::string uid = std::to_string(::getuid());
  const std::string gid = std::to_string(::getgid());
  const std::vector<Case> cases{
      {{}, {}, {{"UID", uid}, {"GID", gid}}},
      {Environment{{"A", "p"}}, {{"A", "f"}, {"B", "f"}}, {{"A", "p"}, {"B", "f"}}},
      {Environment{{"UID", "7"}}, {}, {{"UID", "7"}, {"GID", gid}}},
      {{}, {{"UID", "8"}, {"GID", "9"}}, {{"UID", "8"}, {"GID", "9"}}},
      {Environment{{"A", ""}}, Environment{{"A", "f"}}, Environment{{"A", ""}}},
  };
  for (const auto& c : cases) {
    const auto env = berth::loader::merge_environment(c.process, c.files);
    for (const auto& [key, value] : c.expected_subset) {
      CAPTURE(key);
      REQUIRE(env.count(key) == 1);
      CHECK(env.at(key) == value);
    }
  }
  if (::geteuid() == 0) {
    CHECK(berth::loader::invoking_uid({{"SUDO_UID", "1000"}}) == "1000");
    CHECK(berth::loader::invoking_gid({{"SUDO_GID", "1001"}}) == "1001");
    CHECK(berth::loader::invoking_uid({{"SUDO_UID", "x"}}) == "0");
  }
  CHECK_FALSE(berth::loader::process_environment().empty());
}
