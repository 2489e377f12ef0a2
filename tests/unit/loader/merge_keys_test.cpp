#include "loader/merge_keys.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "loader/yaml_reader.h"
#include "front_test_util.h"

using berth::loader::apply_merge_keys;
using berth::loader::Node;
using berth::loader::read_yaml;
using berth::loader::test::dump;

namespace {

std::string merged(const std::string& yaml) {
  Node root = read_yaml(yaml, "m.yaml");
  apply_merge_keys(root);
  return dump(root);
}

}  // namespace

TEST_CASE("merge keys follow YAML merge-key semantics", "[loader][merge_keys]") {
  struct Case {
    const char* yaml;
    const char* tree;
  };
  const std::vector<Case> cases{
      // single mapping, explicit keys win wherever they are written
      {"b: &b {x: 1, y: 2}\nc: {<<: *b, y: 3}\n", "{b: {x: 1, y: 2}, c: {x: 1, y: 3}}"},
      {"b: &b {x: 1, y: 2}\nc: {y: 3, <<: *b}\n", "{b: {x: 1, y: 2}, c: {y: 3, x: 1}}"},
      // list of mappings: earlier wins over later
      {"p: &p {x: 1}\nq: &q {x: 2, z: 3}\nc:\n  <<: [*p, *q]\n",
       "{p: {x: 1}, q: {x: 2, z: 3}, c: {x: 1, z: 3}}"},
      {"p: &p {x: 1}\nq: &q {x: 2, z: 3}\nc:\n  <<: [*q, *p]\n",
       "{p: {x: 1}, q: {x: 2, z: 3}, c: {x: 2, z: 3}}"},
      // inline mapping as merge value
      {"c:\n  <<: {a: 1}\n  b: 2\n", "{c: {a: 1, b: 2}}"},
      // nested merge inside the anchored map
      {"a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: *b, z: 3}\n",
       "{a: {x: 1}, b: {x: 1, y: 2}, c: {x: 1, y: 2, z: 3}}"},
      // merges deep inside services
      {"x-base: &base\n  image: busybox\n  environment: {A: '1'}\nservices:\n  web:\n    <<: *base\n    "
       "environment: {B: '2'}\n",
       "{x-base: {image: busybox, environment: {A: '1'}}, services: {web: {image: busybox, environment: "
       "{B: '2'}}}}"},
      // merge inside a sequence item
      {"a: &a {x: 1}\nl:\n  - <<: *a\n    y: 2\n", "{a: {x: 1}, l: [{x: 1, y: 2}]}"},
      // empty merge list changes nothing
      {"c:\n  <<: []\n  a: 1\n", "{c: {a: 1}}"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.yaml);
    CHECK(merged(c.yaml) == c.tree);
  }
}

TEST_CASE("merged entries keep their source marks", "[loader][merge_keys]") {
  Node root = read_yaml("b: &b\n  image: busybox\nc:\n  <<: *b\n  tty: true\n", "m.yaml");
  apply_merge_keys(root);
  const Node& c = *root.find("c");
  CHECK(c.find("image")->mark().to_string() == "m.yaml:2:10");
  CHECK(c.entries()[0].key_mark.to_string() == "m.yaml:2:3");
  CHECK(c.find("tty")->mark().to_string() == "m.yaml:5:8");
}

TEST_CASE("merge key values must be mappings", "[loader][merge_keys]") {
  struct Case {
    const char* yaml;
    const char* message;
  };
  const std::vector<Case> cases{
      {"c:\n  <<: 1\n", "m.yaml:2:7: merge key \"<<\" expects a mapping or a list of mappings"},
      {"c:\n  <<: [{a: 1}, x]\n", "m.yaml:2:16: merge key \"<<\" expects a mapping or a list of mappings"},
      {"s: &s hi\nc:\n  <<: *s\n", "m.yaml:1:4: merge key \"<<\" expects a mapping or a list of mappings"},
      {"c:\n  <<:\n", "m.yaml:2:3: merge key \"<<\" expects a mapping or a list of mappings"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.yaml);
    Node root = read_yaml(c.yaml, "m.yaml");
    CHECK_THROWS_WITH(apply_merge_keys(root), c.message);
  }
}
