// The front end on real files from tests/data/loader/front.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "berth/loader/diagnostics.h"
#include "loader/interpolation.h"
#include "loader/merge_keys.h"
#include "loader/to_json.h"
#include "loader/yaml_reader.h"

namespace {
const std::string kDir = std::string(BERTH_TEST_DATA_DIR) + "/loader/front/";
}

TEST_CASE("front end reads and merges and interpolates a data file", "[loader][front_files]") {
  const std::string path = kDir + "anchors_and_merges.yaml";
  auto documents = berth::loader::read_yaml_file(path);
  REQUIRE(documents.size() == 1);
  auto& root = documents[0];
  berth::loader::apply_merge_keys(root);
  berth::loader::Diagnostics diagnostics;
  berth::loader::interpolate(root, berth::loader::Environment{{"TAG", "1.0"}, {"REPLICAS", "3"}}, diagnostics);
  nlohmann::json out;
  const auto positions = berth::loader::to_json(root, out);
  const auto& api = out["services"]["api"];
  CHECK(api["image"] == "example/api:1.0");
  CHECK(api["restart"] == "unless-stopped");
  CHECK(api["deploy"]["replicas"] == 3);
  CHECK(api["environment"]["LOG_LEVEL"] == "info");
  CHECK(api["ports"][0] == "8080:80");
  CHECK(out["services"]["worker"]["restart"] == "no");
  CHECK(diagnostics.empty());
  // merged values point at the anchor they came from
  CHECK(positions.lookup("/services/api/restart").to_string() == path + ":3:12");
  CHECK(positions.lookup("/services/api/image").to_string() == path + ":14:12");

  auto without_tag = berth::loader::read_yaml_file(path);
  berth::loader::apply_merge_keys(without_tag[0]);
  CHECK_THROWS_WITH(berth::loader::interpolate(without_tag[0], berth::loader::Environment{}, diagnostics),
                    path + ":14:12: required variable TAG is missing a value: TAG must be set");
}

TEST_CASE("front end file errors", "[loader][front_files]") {
  CHECK(berth::loader::read_yaml_file(kDir + "multi_document.yaml").size() == 2);
  CHECK_THROWS_WITH(berth::loader::read_yaml_file(kDir + "tab_indent.yaml"),
                    kDir + "tab_indent.yaml:3:1: found a tab character in indentation; YAML indentation must use spaces");
}
