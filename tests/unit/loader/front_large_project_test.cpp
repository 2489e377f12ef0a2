// The front end (read, merge keys, interpolate, convert) on a large project:
// berth loads the project for every command.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "berth/loader/diagnostics.h"
#include "loader/interpolation.h"
#include "loader/merge_keys.h"
#include "loader/to_json.h"
#include "loader/yaml_reader.h"

namespace {

std::string generated_project(int services) {
  std::string yaml = "name: big\nx-common: &common\n  restart: unless-stopped\n  logging: {driver: local}\n";
  yaml += "services:\n";
  for (int i = 0; i < services; ++i) {
    const std::string n = std::to_string(i);
    yaml += "  svc" + n + ":\n";
    yaml += "    <<: *common\n";
    yaml += "    image: \"${REGISTRY:-local}/app" + n + ":${TAG:-latest}\"\n";
    yaml += "    command: [\"serve\", \"--port\", \"80" + n + "\"]\n";
    yaml += "    environment:\n      MODE: ${MODE:-prod}\n      INDEX: \"" + n + "\"\n      HOME: /srv\n";
    yaml += "    ports:\n      - \"${BIND:-127.0.0.1}:" + std::to_string(10000 + i) + ":80\"\n";
    yaml += "    volumes:\n      - ./data/" + n + ":/data:ro\n";
    yaml += "    labels:\n      com.example.index: \"" + n + "\"\n";
    yaml += "    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 10s\n      retries: 3\n";
    if (i > 0) yaml += "    depends_on: [svc" + std::to_string(i - 1) + "]\n";
  }
  return yaml;
}

}  // namespace

// Speed is measured by bench/config_bench.sh, not here (no timed assertions
// in tests): this checks the front end on a large generated project.
TEST_CASE("front end reads a generated 200-service project", "[loader][large]") {
  const std::string yaml = generated_project(200);
  const berth::loader::Environment env{{"TAG", "1.2"}, {"MODE", "dev"}};
  berth::loader::Node root = berth::loader::read_yaml(yaml, "/some/project/dir/compose.yaml");
  berth::loader::apply_merge_keys(root);
  berth::loader::Diagnostics diagnostics;
  berth::loader::interpolate(root, env, diagnostics);
  nlohmann::json out;
  const auto positions = berth::loader::to_json(root, out);
  REQUIRE(out["services"].size() == 200);
  CHECK(out["services"]["svc7"]["image"] == "local/app7:1.2");
  CHECK(out["services"]["svc7"]["restart"] == "unless-stopped");
  CHECK(positions.lookup("/services/svc7/image").line > 0);
}
