#include <catch2/catch.hpp>

#include "berth/util/suggest.h"

TEST_CASE("edit_distance counts adjacent swaps as one edit", "[util]") {
  struct Case {
    const char* a;
    const char* b;
    std::size_t distance;
  };
  const Case cases[] = {
      {"", "", 0},       {"image", "image", 0}, {"imagee", "image", 1}, {"prots", "ports", 1},
      {"", "abc", 3},    {"kitten", "sitting", 3}, {"enviroment", "environment", 1},
      {"ab", "ba", 1},   {"abc", "cba", 2},
  };
  for (const auto& c : cases) {
    CAPTURE(c.a, c.b);
    CHECK(berth::edit_distance(c.a, c.b) == c.distance);
    CHECK(berth::edit_distance(c.b, c.a) == c.distance);
  }
}

TEST_CASE("closest_name suggests only plausible typos", "[util]") {
  const std::vector<std::string> names{"image", "ports", "environment", "networks", "network_mode", "ipc", "pid"};
  struct Case {
    const char* typo;
    const char* suggestion;
  };
  const Case cases[] = {
      {"imagee", "image"},   {"Image", "image"},         {"prots", "ports"},
      {"enviroment", "environment"}, {"network", "networks"}, {"ipd", "ipc"},
      {"volumes", ""},       {"x", ""},                  {"completely_different", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.typo);
    CHECK(berth::closest_name(c.typo, names) == c.suggestion);
  }
}
