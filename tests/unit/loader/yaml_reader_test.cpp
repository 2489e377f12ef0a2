#include "loader/yaml_reader.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "front_test_util.h"

using berth::loader::Node;
using berth::loader::ReadLimits;
using berth::loader::read_yaml;
using berth::loader::read_yaml_documents;
using berth::loader::test::dump;

namespace {

std::string error_of(const std::string& text, const ReadLimits& limits = {}) {
  try {
    read_yaml_documents(text, "c.yaml", limits);
  } catch (const berth::Error& e) {
    CHECK(e.kind() == berth::ErrorKind::Config);
    return e.message();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("yaml reader builds the tree with styles and tags", "[loader][yaml_reader]") {
  struct Case {
    const char* yaml;
    const char* tree;
  };
  const std::vector<Case> cases{
      {"a: 1\nb: x\n", "{a: 1, b: x}"},
      {"a: '1'\nb: \"x\"\n", "{a: '1', b: 'x'}"},
      {"a: |\n  line\nb: >\n  folded\n", "{a: 'line\n', b: 'folded\n'}"},
      {"a:\nb: ~\nc: null\n", "{a: null, b: null, c: null}"},
      {"a: [1, '2', {x: y}]\n", "{a: [1, '2', {x: y}]}"},
      {"a: !!str 1\n", "{a: '1'}"},
      {"x: &v {p: 1}\ny: *v\n", "{x: {p: 1}, y: {p: 1}}"},
      {"x: &s hello\ny: [*s, *s]\n", "{x: hello, y: [hello, hello]}"},
      {"1: one\ntrue: yes\n", "{1: one, true: yes}"},
      {"services:\n  web:\n    image: nginx\n", "{services: {web: {image: nginx}}}"},
      {"# only a comment\na: 1 # trailing\n", "{a: 1}"},
      {"\xEF\xBB\xBF" "a: 1\n", "{a: 1}"},
      {"a: héllo\n", "{a: héllo}"},
      {"a: 1\r\nb:\r\n  c: 2\r\n", "{a: 1, b: {c: 2}}"},
      {"a: &x 1\nb: *x\nc: &x 2\nd: *x\n", "{a: 1, b: 1, c: 2, d: 2}"},
      {"a: \"tab\tinside\"\n", "{a: 'tab\tinside'}"},
      {"a: 'it''s'\nb: \"q\\\"q\"\nc: \"multi\n  line\"\n", "{a: 'it's', b: 'q\"q', c: 'multi line'}"},
      {"a: &x \"anchored\"\nb: *x\n", "{a: 'anchored', b: 'anchored'}"},
      {"a: |\n  \tindented with tab inside a block\n", "{a: '\tindented with tab inside a block\n'}"},
      {"big: [" "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]\n",
       "{big: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]}"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.yaml);
    CHECK(dump(read_yaml(c.yaml, "c.yaml")) == c.tree);
  }
}

TEST_CASE("yaml reader keeps marks on nodes and keys", "[loader][yaml_reader]") {
  const Node root = read_yaml("services:\n  web:\n    image: nginx\n    ports:\n      - \"80:80\"\n",
                              "dir/compose.yaml");
  const Node& web = *root.find("services")->find("web");
  CHECK(root.entries()[0].key_mark.to_string() == "dir/compose.yaml:1:1");
  CHECK(root.find("services")->entries()[0].key_mark.to_string() == "dir/compose.yaml:2:3");
  CHECK(web.find("image")->mark().to_string() == "dir/compose.yaml:3:12");
  CHECK(web.entries()[1].key_mark.to_string() == "dir/compose.yaml:4:5");
  CHECK(web.find("ports")->items()[0].mark().to_string() == "dir/compose.yaml:5:9");
  CHECK(web.find("ports")->items()[0].style() == Node::Style::Quoted);
}

TEST_CASE("yaml reader reads !reset and !override", "[loader][yaml_reader]") {
  const Node root = read_yaml("a: !reset []\nb: !override {x: 1}\nc: !reset\nd: !reset null\ne: !reset v\n",
                              "c.yaml");
  CHECK(root.find("a")->tag() == Node::Tag::Reset);
  CHECK(root.find("a")->is_sequence());
  CHECK(root.find("b")->tag() == Node::Tag::Override);
  CHECK(root.find("b")->is_mapping());
  CHECK(root.find("c")->tag() == Node::Tag::Reset);
  CHECK(root.find("c")->is_null());
  CHECK(root.find("d")->is_null());
  CHECK(root.find("d")->tag() == Node::Tag::Reset);
  CHECK(root.find("e")->text() == "v");
  CHECK(root.find("e")->tag() == Node::Tag::Reset);
}

TEST_CASE("yaml reader returns every document of a stream", "[loader][yaml_reader]") {
  auto docs = read_yaml_documents("a: 1\n---\nb: 2\n---\n", "c.yaml");
  REQUIRE(docs.size() == 2);
  CHECK(dump(docs[0]) == "{a: 1}");
  CHECK(dump(docs[1]) == "{b: 2}");
  CHECK(docs[1].mark().line == 3);
  CHECK_THROWS_WITH(read_yaml("a: 1\n---\nb: 2\n", "c.yaml"),
                    "c.yaml:3:1: expected a single YAML document, found 2");
}

TEST_CASE("yaml reader errors name file:line:col", "[loader][yaml_reader]") {
  struct Case {
    std::string yaml;
    std::string message;
  };
  const std::vector<Case> cases{
      {"", "c.yaml: empty compose file"},
      {"# nothing\n\n", "c.yaml: empty compose file"},
      {"---\n", "c.yaml: empty compose file"},
      {"- a\n- b\n", "c.yaml:1:1: top-level object must be a mapping"},
      {"just text\n", "c.yaml:1:1: top-level object must be a mapping"},
      {"a: 1\nb: 2\na: 3\n", "c.yaml:3:1: duplicate key \"a\" (already defined at line 1)"},
      {"s:\n  web:\n    image: x\n    image: y\n",
       "c.yaml:4:5: duplicate key \"image\" (already defined at line 3)"},
      {"a:\n\tb: 1\n", "c.yaml:2:1: found a tab character in indentation; YAML indentation must use spaces"},
      {"a: [1, 2\n", "c.yaml:2:1: invalid YAML: end of sequence flow not found"},
      {"a: {b: 1\n", "c.yaml:2:1: invalid YAML: end of map flow not found"},
      {"a: *nope\n", "c.yaml:1:4: invalid YAML: the referenced anchor is not defined"},
      {"a: b: c\n", "c.yaml:1:5: invalid YAML: illegal map value"},
      {"a:\n  - x\n  y: 1\n", "c.yaml:3:3: invalid YAML: end of map not found"},
      {std::string("a: 1\nb: x\0y\n", 11), "c.yaml:2:5: NUL byte in compose file: this is not a text file"},
      {"a: \xC3\x28\n", "c.yaml:1:4: invalid UTF-8 in compose file (compose files must be UTF-8 text)"},
      {"a: ok\nb: \xFF\xFE\n", "c.yaml:2:4: invalid UTF-8 in compose file (compose files must be UTF-8 text)"},
      {"\x01\x02\x03", "c.yaml:1:1: control character (byte 1) in compose file: this is not a text file"},
      {"a: !custom x\n", "c.yaml:1:4: unsupported YAML tag \"!custom\" (compose knows !reset and !override)"},
      {"[a, b]: 1\n", "c.yaml:1:1: mapping key must be a string"},
      {"a: 1\n---\n- x\n", "c.yaml:3:1: top-level object must be a mapping"},
      {"a: &a [*a]\n", "c.yaml:1:8: recursive alias: the anchored node contains itself"},
      {"a: &a {b: {c: *a}}\n", "c.yaml:1:15: recursive alias: the anchored node contains itself"},
      {"a:\n  b: 1\n  b: 2\n", "c.yaml:3:3: duplicate key \"b\" (already defined at line 2)"},
      {"? a\n: 1\na: 2\n", "c.yaml:3:1: duplicate key \"a\" (already defined at line 1)"},
      {"~: 1\n", "c.yaml:1:1: mapping key must not be null"},
      {"a: \"unterminated\n", "c.yaml:1:4: invalid YAML: unterminated quoted string (missing closing \")"},
      {"a: 1\nb: 'open\n", "c.yaml:2:4: invalid YAML: unterminated quoted string (missing closing ')"},
      {"a: 'it''s\n", "c.yaml:1:4: invalid YAML: unterminated quoted string (missing closing ')"},
      {"a: \"esc \\\"\n", "c.yaml:1:4: invalid YAML: unterminated quoted string (missing closing \")"},
      // yaml-cpp would report empty documents forever here
      {",a: 1\n", "c.yaml:1:1: invalid YAML: unexpected character ','"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.yaml);
    CHECK(error_of(c.yaml) == c.message);
  }
}

TEST_CASE("yaml reader finds duplicates among many keys", "[loader][yaml_reader]") {
  std::string yaml;
  for (int i = 0; i < 40; ++i) yaml.append("k").append(std::to_string(i)).append(": v\n");
  CHECK(read_yaml(yaml, "c.yaml").size() == 40);
  CHECK(error_of(yaml + "k7: again\n") == "c.yaml:41:1: duplicate key \"k7\" (already defined at line 8)");
}

TEST_CASE("yaml reader bounds hostile input", "[loader][yaml_reader]") {
  SECTION("billion laughs") {
    std::string yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int i = 1; i < 10; ++i) {
      const std::string name = std::to_string(i), previous = std::to_string(i - 1);
      yaml.append("a").append(name).append(": &a").append(name).append(" [");
      for (int k = 0; k < 10; ++k) yaml.append(k ? ", *a" : "*a").append(previous);
      yaml += "]\n";
    }
    const std::string message = error_of(yaml);
    CHECK_THAT(message, Catch::Contains("nodes after expanding aliases"));
    CHECK_THAT(message, Catch::StartsWith("c.yaml:"));
  }
  SECTION("deep flow nesting") {
    const std::string yaml = "a: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    CHECK(error_of(yaml) == "c.yaml:1:203: nesting too deep: more than 200 levels");
  }
  SECTION("deep block nesting") {
    std::string yaml;
    for (int i = 0; i < 300; ++i) yaml += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
    CHECK_THAT(error_of(yaml), Catch::Contains("nesting too deep"));
  }
  SECTION("alias of a deep anchor") {
    ReadLimits limits;
    limits.max_depth = 5;
    CHECK_THAT(error_of("a: &x {b: {c: {d: 1}}}\ne: {f: {g: *x}}\n", limits),
               Catch::Contains("nesting too deep: more than 5 levels"));
  }
  SECTION("file size") {
    ReadLimits limits;
    limits.max_bytes = 10;
    CHECK(error_of("a: 123456789\n", limits) == "c.yaml: file too large (13 bytes, the limit is 10)");
  }
}

TEST_CASE("yaml reader reads files and reports missing ones", "[loader][yaml_reader]") {
  CHECK_THROWS_WITH(berth::loader::read_yaml_file("/nonexistent/compose.yaml"),
                    "/nonexistent/compose.yaml: no such file or directory");
  CHECK_THROWS_WITH(berth::loader::read_yaml_file("/tmp"), "/tmp: is a directory");
}
