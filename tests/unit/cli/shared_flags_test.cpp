#include "cli/shared_flags.h"

#include <catch2/catch.hpp>

#include "berth/util/error.h"

using berth::cli::parse_scale_arguments;

TEST_CASE("scale arguments are SERVICE=N", "[cli][scale_arguments]") {
  struct Case {
    std::vector<std::string> arguments;
    std::map<std::string, int> expected;
  };
  const Case cases[] = {
      {{}, {}},
      {{"web=3"}, {{"web", 3}}},
      {{"web=0", "db=2"}, {{"db", 2}, {"web", 0}}},
      {{"web=1", "web=4"}, {{"web", 4}}},  // the last one wins
  };
  for (const auto& c : cases) {
    CAPTURE(c.arguments);
    CHECK(parse_scale_arguments(c.arguments) == c.expected);
  }
}

TEST_CASE("bad scale arguments are usage errors quoting the argument", "[cli][scale_arguments]") {
  for (const char* bad : {"web", "web=", "=3", "web=-1", "web=x", "web=1.5", "web=99999999999"}) {
    CAPTURE(bad);
    try {
      parse_scale_arguments({bad});
      FAIL("accepted");
    } catch (const berth::Error& e) {
      CHECK(e.kind() == berth::ErrorKind::Usage);
      CHECK(std::string(e.what()).find(bad) != std::string::npos);
    }
  }
}

TEST_CASE("recreate policy: --force-recreate or --no-recreate, not both", "[cli][scale_arguments]") {
  CHECK(berth::cli::recreate_policy(false, false) == berth::plan::Recreate::Diverged);
  CHECK(berth::cli::recreate_policy(true, false) == berth::plan::Recreate::Force);
  CHECK(berth::cli::recreate_policy(false, true) == berth::plan::Recreate::Never);
  CHECK_THROWS_WITH(berth::cli::recreate_policy(true, true), "--force-recreate and --no-recreate are incompatible");
}
