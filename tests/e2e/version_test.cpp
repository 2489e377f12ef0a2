#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace berth::e2e;

TEST_CASE("berth version --short prints the client version") {
  auto r = run_berth({"version", "--short"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == std::string(BERTH_VERSION_FOR_TESTS) + "\n");
}

TEST_CASE("an unknown command is a usage error") {
  auto r = run_berth({"frobnicate"});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("frobnicate") != std::string::npos);
}
