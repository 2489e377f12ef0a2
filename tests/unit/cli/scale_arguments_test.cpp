#include "cli/scale_arguments.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "berth/model/project.h"
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

TEST_CASE("scale: only services the project has", "[cli][scale_arguments]") {
  auto project = berth::model::Project::from_json(
      {{"name", "p"}, {"services", {{"web", {{"image", "img"}}}}}}, nlohmann::json::array());
  CHECK_NOTHROW(berth::cli::check_scaled_services_exist(project, {{"web", 2}}));
  CHECK_THROWS_WITH(berth::cli::check_scaled_services_exist(project, {{"web", 2}, {"wbe", 1}}),
                    "--scale: no such service: wbe");
}
