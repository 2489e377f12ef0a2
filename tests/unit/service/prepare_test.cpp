#include "service/prepare.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/project.h"

TEST_CASE("scale: only services the project has", "[service][scale_arguments]") {
  auto project = berth::model::Project::from_json(
      {{"name", "p"}, {"services", {{"web", {{"image", "img"}}}}}}, nlohmann::json::array());
  CHECK_NOTHROW(berth::service::check_scaled_services_exist(project, {{"web", 2}}));
  CHECK_THROWS_WITH(berth::service::check_scaled_services_exist(project, {{"web", 2}, {"wbe", 1}}),
                    "--scale: no such service: wbe");
}
