// The policy options the command line and the project choose.
#include "service/security.h"

#include <catch2/catch.hpp>

#include "../policy/environment_project.h"
#include "berth/service/global_options.h"

using berth::testing::kCompose;
using berth::testing::ProjectDir;

TEST_CASE("the environment's security and forbidden labels reach the policy", "[policy][environments]") {
  ProjectDir dir;
  dir.write("compose.yaml", kCompose);
  berth::service::GlobalOptions global;
  global.project = dir.options("prod");
  auto prod = dir.load("prod");
  auto options = berth::service::policy_options(global, prod);
  CHECK(options.level == berth::policy::Level::Strict);
  CHECK(options.environment == "prod");
  CHECK(options.forbid_labels == std::vector<std::string>{"not.for.prod"});

  global.security = "compat";  // an explicit --security / BERTH_SECURITY wins over the environment
  CHECK(berth::service::policy_options(global, prod).level == berth::policy::Level::Compat);
}
