#include "loader/interpolation.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "loader/yaml_reader.h"
#include "front_test_util.h"

using berth::loader::Diagnostics;
using berth::loader::Environment;
using berth::loader::interpolate;
using berth::loader::interpolate_string;
using berth::loader::list_variables;
using berth::loader::Node;
using berth::loader::read_yaml;
using berth::loader::VariableLookup;

namespace {

const Environment kEnv{{"A", "alpha"}, {"B", "beta"}, {"EMPTY", ""}, {"N", "3"},
                       {"_u", "under"}, {"X1", "x-one"}, {"DOLLAR", "$A"}};

VariableLookup env_lookup(const Environment& env) {
  return [&env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("interpolation substitutes variables per compose-spec", "[loader][interpolation]") {
  struct Case {
    const char* in;
    const char* out;
    bool substituted;
  };
  const std::vector<Case> cases{
      {"plain", "plain", false},
      {"", "", false},
      {"$A", "alpha", true},
      {"${A}", "alpha", true},
      {"pre-$A-post", "pre-alpha-post", true},
      {"${A}${B}", "alphabeta", true},
      {"$A$B", "alphabeta", true},
      {"$Abc", "", true},  // the name is the longest run: Abc (unset)
      {"${A}bc", "alphabc", true},
      {"$_u", "under", true},
      {"$X1", "x-one", true},
      {"$$", "$", true},
      {"$$A", "$A", true},
      {"$$$A", "$alpha", true},
      {"cost $5", "cost $5", false},
      {"end$", "end$", false},
      {"a $ b", "a $ b", false},
      {"$-x", "$-x", false},
      {"${UNSET}", "", true},
      {"$UNSET", "", true},
      {"${UNSET:-def}", "def", true},
      {"${UNSET-def}", "def", true},
      {"${EMPTY:-def}", "def", true},
      {"${EMPTY-def}", "", true},
      {"${A:-def}", "alpha", true},
      {"${A-def}", "alpha", true},
      {"${UNSET:-}", "", true},
      {"${UNSET:-a b c}", "a b c", true},
      {"${UNSET:-${B}}", "beta", true},
      {"${UNSET:-${ALSO:-deep}}", "deep", true},
      {"${UNSET:-x${A}y}", "xalphay", true},
      {"${UNSET:-$$}", "$", true},
      {"${UNSET:-{braces}}", "{braces}", true},
      {"${UNSET:-a}}", "a}", true},
      {"${A:+rep}", "rep", true},
      {"${A+rep}", "rep", true},
      {"${EMPTY:+rep}", "", true},
      {"${EMPTY+rep}", "rep", true},
      {"${UNSET:+rep}", "", true},
      {"${UNSET+rep}", "", true},
      {"${A:+${B}}", "beta", true},
      {"${A:?must be set}", "alpha", true},
      {"${EMPTY?must be set}", "", true},
      {"${DOLLAR}", "$A", true},  // values are not interpolated again
      {"${N}", "3", true},
      {"http://${A}:${N}/x", "http://alpha:3/x", true},
      {"${a}", "", true},  // names are case-sensitive
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    const auto result = interpolate_string(c.in, env_lookup(kEnv), "p", {});
    CHECK(result.text == c.out);
    CHECK(result.substituted == c.substituted);
  }
}

TEST_CASE("interpolation errors carry the path and position", "[loader][interpolation]") {
  struct Case {
    const char* in;
    const char* message;
  };
  const berth::SourceMark mark{"c.yaml", 3, 12};
  const std::string hint = "; you may need to escape any $ with another $";
  const std::vector<Case> cases{
      {"${", "c.yaml:3:12: invalid interpolation format for services.web.image: \"${\""},
      {"${VAR", "c.yaml:3:12: invalid interpolation format for services.web.image: \"${VAR\""},
      {"${ VAR}", "c.yaml:3:12: invalid interpolation format for services.web.image: \"${ VAR}\""},
      {"${VAR:x}", "c.yaml:3:12: invalid interpolation format for services.web.image: \"${VAR:x}\""},
      {"${}", "c.yaml:3:12: invalid interpolation format for services.web.image: \"${}\""},
      {"${1A}", "c.yaml:3:12: invalid interpolation format for services.web.image: \"${1A}\""},
      {"${A B}", "c.yaml:3:12: invalid interpolation format for services.web.image: \"${A B}\""},
      {"${A:}", "c.yaml:3:12: invalid interpolation format for services.web.image: \"${A:}\""},
      {"x ${UNSET:-${B}", "c.yaml:3:12: invalid interpolation format for services.web.image: \"x ${UNSET:-${B}\""},
      {"${UNSET:-${ B}}", "c.yaml:3:12: invalid interpolation format for services.web.image: \"${UNSET:-${ B}}\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK_THROWS_WITH(interpolate_string(c.in, env_lookup(kEnv), "services.web.image", mark),
                      std::string(c.message) + hint);
  }
  struct Required {
    const char* in;
    const char* message;
  };
  const std::vector<Required> required{
      {"${UNSET:?must be set}", "c.yaml:3:12: required variable UNSET is missing a value: must be set"},
      {"${UNSET?must be set}", "c.yaml:3:12: required variable UNSET is missing a value: must be set"},
      {"${EMPTY:?need it}", "c.yaml:3:12: required variable EMPTY is missing a value: need it"},
      {"${UNSET:?}", "c.yaml:3:12: required variable UNSET is missing a value"},
      {"${UNSET?}", "c.yaml:3:12: required variable UNSET is missing a value"},
      {"${UNSET:?set ${A} first}", "c.yaml:3:12: required variable UNSET is missing a value: set alpha first"},
      {"${UNSET:-${INNER:?inner}}", "c.yaml:3:12: required variable INNER is missing a value: inner"},
  };
  for (const auto& c : required) {
    CAPTURE(c.in);
    CHECK_THROWS_WITH(interpolate_string(c.in, env_lookup(kEnv), "services.web.image", mark), c.message);
  }
  // A default that is not used is not evaluated.
  CHECK(interpolate_string("${A:-${INNER:?inner}}", env_lookup(kEnv)).text == "alpha");
}

TEST_CASE("interpolation of a tree touches values only and warns once per variable", "[loader][interpolation]") {
  Node root = read_yaml(
      "services:\n"
      "  web:\n"
      "    image: \"${IMAGE:-nginx}:${TAG}\"\n"
      "    environment:\n"
      "      $KEY: $A\n"
      "      OTHER: ${TAG}\n"
      "    ports:\n"
      "      - ${N}:80\n"
      "    command: [echo, '$$HOME']\n"
      "    labels: {plain: text}\n",
      "c.yaml");
  Diagnostics diagnostics;
  interpolate(root, kEnv, diagnostics);
  const Node& web = *root.find("services")->find("web");
  CHECK(web.find("image")->text() == "nginx:");
  CHECK(web.find("image")->interpolated());
  CHECK(web.find("image")->style() == Node::Style::Quoted);
  CHECK(web.find("environment")->entries()[0].key == "$KEY");
  CHECK(web.find("environment")->entries()[0].value.text() == "alpha");
  CHECK(web.find("ports")->items()[0].text() == "3:80");
  CHECK(web.find("command")->items()[1].text() == "$HOME");
  CHECK_FALSE(web.find("labels")->find("plain")->interpolated());
  // one warning per variable, with the first position
  REQUIRE(diagnostics.warnings().size() == 1);
  CHECK(diagnostics.warnings()[0].to_string() ==
        "c.yaml:3:12: The \"TAG\" variable is not set. Defaulting to a blank string.");

  Node bad = read_yaml("services:\n  web:\n    ports:\n      - \"${P\"\n", "c.yaml");
  CHECK_THROWS_WITH(interpolate(bad, kEnv, diagnostics),
                    "c.yaml:4:9: invalid interpolation format for services.web.ports.0: \"${P\"; "
                    "you may need to escape any $ with another $");
}

TEST_CASE("list_variables reports every variable with defaults", "[loader][interpolation]") {
  const Node root = read_yaml(
      "services:\n"
      "  web:\n"
      "    image: ${IMAGE:-nginx}:$TAG\n"
      "    user: ${UID:?need uid}\n"
      "    command: ${FLAG:+--verbose} ${OUTER:-${INNER-x}} $$NOT\n",
      "c.yaml");
  const auto uses = list_variables(root);
  REQUIRE(uses.size() == 6);
  CHECK(uses[0].name == "IMAGE");
  CHECK_FALSE(uses[0].required);
  CHECK(uses[0].default_value == std::optional<std::string>("nginx"));
  CHECK(uses[0].path == "services.web.image");
  CHECK(uses[0].mark.to_string() == "c.yaml:3:12");
  CHECK(uses[1].name == "TAG");
  CHECK_FALSE(uses[1].required);  // plain $TAG: unset is a warning, not required
  CHECK(uses[2].name == "UID");
  CHECK(uses[2].required);
  CHECK(uses[2].error_message == std::optional<std::string>("need uid"));
  CHECK(uses[3].name == "FLAG");
  CHECK(uses[3].alternate_value == std::optional<std::string>("--verbose"));
  CHECK(uses[4].name == "OUTER");
  CHECK(uses[4].default_value == std::optional<std::string>("${INNER-x}"));
  CHECK(uses[5].name == "INNER");
  CHECK(uses[5].default_value == std::optional<std::string>("x"));
}
