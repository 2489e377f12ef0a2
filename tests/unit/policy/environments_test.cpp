#include "berth/loader/environments.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"
#include "berth/model/output.h"
#include "berth/model/project.h"
#include "berth/policy/apply.h"
#include "environment_project.h"
#include "policy_test_util.h"

using nlohmann::json;
using berth::Error;
using berth::ErrorKind;
namespace fs = std::filesystem;

using berth::testing::error_of;
using berth::testing::kCompose;
using berth::testing::ProjectDir;

TEST_CASE("an environment adds its files, profiles and env file", "[policy][environments]") {
  ProjectDir dir;
  dir.write("compose.yaml", kCompose);
  dir.write("dev.yml", "services:\n  app:\n    command: [\"dev-mode\"]\n");
  dir.write(".env.dev", "GREETING=hello-dev\n");

  auto plain = dir.load(std::nullopt);
  CHECK(plain.find_service("debug") == nullptr);
  CHECK((*plain.find_service("app")->json)["environment"]["GREETING"] == "none");

  auto dev = dir.load("dev");
  REQUIRE(dev.find_service("debug") != nullptr);
  const json& app = *dev.find_service("app")->json;
  CHECK(app["environment"]["GREETING"] == "hello-dev");
  CHECK(app["command"] == json::array({"dev-mode"}));
  CHECK(dev.config_files.size() == 2);
  CHECK(dev.profiles == std::vector<std::string>{"dev"});

  auto bare = dir.load("bare");  // an environment with nothing in it is the plain project
  CHECK(bare.find_service("debug") == nullptr);
}

TEST_CASE("unknown environments and malformed definitions are clear errors", "[policy][environments]") {
  ProjectDir dir;
  dir.write("compose.yaml", kCompose);
  std::string unknown = error_of([&] { dir.load("staging"); });
  CHECK(unknown.find("unknown environment \"staging\"") != std::string::npos);
  CHECK(unknown.find("bare, dev, prod") != std::string::npos);

  dir.write("compose.yaml", "services:\n  app:\n    image: busybox\n");
  std::string none = error_of([&] { dir.load("dev"); });
  CHECK(none.find("defines no environments") != std::string::npos);

  dir.write("compose.yaml", "services:\n  app:\n    image: busybox\nx-berth:\n  environments:\n    dev: {volumes: [x]}\n");
  std::string key = error_of([&] { dir.load("dev"); });
  CHECK(key.find("unsupported key \"volumes\"") != std::string::npos);
  CHECK(key.find("compose.yaml:6") != std::string::npos);

  dir.write("compose.yaml", "services:\n  app:\n    image: busybox\nx-berth:\n  environments:\n    dev: {security: lax}\n");
  CHECK(error_of([&] { dir.load("dev"); }).find("security must be one of") != std::string::npos);

  dir.write("compose.yaml", "services:\n  app:\n    image: busybox\nx-berth:\n  environments:\n    dev: {files: [missing.yml]}\n");
  CHECK(error_of([&] { dir.load("dev"); }).find("missing.yml does not exist") != std::string::npos);
}

TEST_CASE("find_environment reads every key", "[policy][environments]") {
  json x_berth = json::parse(R"({"environments": {"prod": {"files": "prod.yml", "profiles": ["a", "b"],
      "env_file": [".env.prod"], "security": "strict", "forbid_labels": ["x.y"]}}})");
  auto env = berth::loader::find_environment(x_berth, "prod");
  CHECK(env.name == "prod");
  CHECK(env.files == std::vector<std::string>{"prod.yml"});
  CHECK(env.profiles == std::vector<std::string>{"a", "b"});
  CHECK(env.env_files == std::vector<std::string>{".env.prod"});
  CHECK(env.security == "strict");
  CHECK(env.forbid_labels == std::vector<std::string>{"x.y"});
  CHECK_THROWS_AS(berth::loader::find_environment(json(), "prod"), Error);
}

TEST_CASE("an environment's forbidden labels are refused before images", "[policy][environments]") {
  ProjectDir dir;
  dir.write("compose.yaml", kCompose);
  auto prod = dir.load("prod");
  auto definition = berth::loader::find_environment((*prod.extensions)["x-berth"], "prod");
  berth::policy::PolicyOptions options;
  options.level = berth::policy::parse_level(*definition.security);
  options.environment = definition.name;
  options.forbid_labels = definition.forbid_labels;

  // debug is disabled in prod (profile dev): nothing is forbidden.
  CHECK_NOTHROW(berth::policy::check_before_images(prod, options));

  // Enabled, it is refused with the service, label, environment and position.
  berth::loader::ProjectOptions with_dev = dir.options("prod");
  with_dev.profiles = {"dev"};
  berth::loader::Diagnostics diagnostics;
  auto enabled = berth::loader::load(with_dev, diagnostics);
  std::string refused = error_of([&] { berth::policy::check_before_images(enabled, options); });
  CHECK(refused.find("service \"debug\"") != std::string::npos);
  CHECK(refused.find("label \"not.for.prod\"") != std::string::npos);
  CHECK(refused.find("environment \"prod\"") != std::string::npos);
  CHECK(refused.find("compose.yaml:10") != std::string::npos);
  CHECK(refused.find("allow:") == std::string::npos);  // no x-berth allow entry permits it
  // Under compat too: forbidden labels are not a confinement level.
  options.level = berth::policy::Level::Compat;
  CHECK_THROWS_AS(berth::policy::apply(enabled, options), Error);
}

TEST_CASE("check_before_images refuses hazards without asking about images", "[policy]") {
  auto project = berth::policy::testing::load_text("services:\n  app:\n    image: busybox\n    privileged: true\n");
  berth::policy::PolicyOptions options;
  options.image = [](const std::string&) -> std::optional<berth::policy::ImageFacts> {
    FAIL("the pre-check must not look at images");
    return std::nullopt;
  };
  std::string refused = error_of([&] { berth::policy::check_before_images(project, options); });
  CHECK(refused.find("allow: [privileged]") != std::string::npos);
  CHECK_FALSE((*project.find_service("app")->json).contains("cap_drop"));  // nothing changed

  // strict's non-root requirement depends on the image: left to apply().
  auto plain = berth::policy::testing::load_text("services:\n  app:\n    image: busybox\n");
  options.level = berth::policy::Level::Strict;
  CHECK_NOTHROW(berth::policy::check_before_images(plain, options));
  options.level = berth::policy::Level::Compat;
  CHECK_NOTHROW(berth::policy::check_before_images(project, options));
}

TEST_CASE("config's YAML marks the values the policy set", "[policy][config]") {
  auto project = berth::policy::testing::load_text(
      "services:\n  app:\n    image: busybox\n    ports: [\"8080:80\", \"0.0.0.0:9090:90\"]\n    pids_limit: 10\n");
  berth::policy::PolicyOptions options;
  auto result = berth::policy::evaluate(project, options);
  std::map<std::string, std::string> comments;
  for (const auto& pointer : result.services.at(0).pointers)
    comments["/services/app" + pointer] = "set by berth policy (standard)";
  std::string yaml = berth::model::to_yaml(project.to_json(), comments);
  INFO(yaml);
  CHECK(yaml.find("    cap_drop:  # set by berth policy (standard)\n      - ALL\n") != std::string::npos);
  CHECK(yaml.find("    init: true  # set by berth policy (standard)\n") != std::string::npos);
  // A port's fields in docker compose's order: mode, host_ip, target, ...
  CHECK(yaml.find("      - mode: ingress\n        host_ip: 127.0.0.1  # set by berth policy (standard)\n") !=
        std::string::npos);
  CHECK(yaml.find("host_ip: 0.0.0.0  #") == std::string::npos);       // the user's own value
  CHECK(yaml.find("pids_limit: 10\n") != std::string::npos);          // the user's, unmarked
  CHECK(yaml.find("# set by") != std::string::npos);
  CHECK(berth::model::to_yaml(project.to_json()).find('#') == std::string::npos);
}
