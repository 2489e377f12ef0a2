#include "loader/to_json.h"

#include <memory>

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "loader/interpolation.h"
#include "loader/yaml_reader.h"

using berth::loader::Node;
using berth::loader::read_yaml;
using nlohmann::json;

TEST_CASE("plain scalars are typed by the YAML 1.2 core schema", "[loader][to_json]") {
  struct Case {
    const char* text;
    json expected;
  };
  const std::vector<Case> cases{
      {"~", nullptr},        {"null", nullptr},     {"Null", nullptr},    {"NULL", nullptr},
      {"true", true},        {"True", true},        {"TRUE", true},       {"false", false},
      {"False", false},      {"FALSE", false},      {"yes", "yes"},       {"no", "no"},
      {"on", "on"},          {"0", 0},              {"42", 42},           {"-17", -17},
      {"+5", 5},             {"0o17", 15},          {"0x1F", 31},         {"0xff", 255},
      {"0440", 288},         {"08", 8},             {"1.5", 1.5},         {"-0.25", -0.25},
      {".5", 0.5},           {"1e3", 1000.0},       {"6.02E+23", 6.02e23}, {"1.", 1.0},
      {"9223372036854775807", 9223372036854775807LL},
      {"18446744073709551615", 18446744073709551615ULL},
      // yaml.v3 (compose-go) also reads `_` separators, 0b and signed prefixes.
      {"1_000", 1000},       {"-1_000_000", -1000000}, {"1_0.5", 10.5},  {"0b101", 5},
      {"-0x1F", -31},        {"+0o17", 15},         {"_1", "_1"},         {"0b102", "0b102"},
      {"0x", "0x"},          {"1.2.3", "1.2.3"},   {"-", "-"},
      {"80:80", "80:80"},    {"1e", "1e"},          {"nginx", "nginx"},   {".", "."},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    json out;
    berth::loader::plain_scalar_to_json(c.text, out);
    CHECK(out == c.expected);
    CHECK(out.type() == c.expected.type());
  }
  json inf, nan;
  berth::loader::plain_scalar_to_json("-.inf", inf);
  berth::loader::plain_scalar_to_json(".NaN", nan);
  CHECK(std::isinf(inf.get<double>()));
  CHECK(inf.get<double>() < 0);
  CHECK(std::isnan(nan.get<double>()));
}

TEST_CASE("to_json types by style and interpolation and the cast table", "[loader][to_json]") {
  Node root = read_yaml(
      "name: ${NAME}\n"
      "services:\n"
      "  web:\n"
      "    image: \"123\"\n"
      "    privileged: ${PRIV}\n"
      "    read_only: \"yes\"\n"
      "    tty: on\n"
      "    scale: ${SCALE}\n"
      "    cpus: ${CPUS}\n"
      "    environment: {A: \"$NUM\", B: 1, C: \"true\"}\n"
      "    labels: [a=b]\n"
      "    ports:\n"
      "      - target: ${NUM}\n"
      "        published: ${NUM}\n"
      "      - ${NUM}\n"
      "    deploy: {replicas: \"${NUM}\"}\n"
      "    healthcheck: {retries: \"${NUM}\", disable: \"${PRIV}\"}\n"
      "    ulimits:\n"
      "      nofile: {soft: \"${NUM}\", hard: '20'}\n"
      "      nproc: ${NUM}\n"
      "    secrets: [{source: s, mode: '0440'}]\n"
      "    stop_grace_period: ${NUM}\n"
      "    mem_limit: ${MEM}\n"
      "networks:\n"
      "  n: {external: \"${PRIV}\", internal: \"false\"}\n"
      "volumes:\n"
      "  v: {external: maybe}\n",
      "t.yaml");
  berth::loader::Diagnostics diagnostics;
  berth::loader::interpolate(
      root, {{"NAME", "123"}, {"PRIV", "true"}, {"SCALE", "3"}, {"CPUS", "0.5"}, {"NUM", "42"}, {"MEM", "1g"}},
      diagnostics);
  json out;
  berth::loader::to_json(root, out);
  const json& web = out["services"]["web"];
  CHECK(out["name"] == "123");
  CHECK(web["image"] == "123");
  CHECK(web["privileged"] == true);
  CHECK(web["read_only"] == true);
  CHECK(web["tty"] == true);
  CHECK(web["scale"] == 3);
  CHECK(web["cpus"] == 0.5);
  CHECK(web["environment"] == json{{"A", "42"}, {"B", 1}, {"C", "true"}});
  CHECK(web["ports"][0]["target"] == 42);
  CHECK(web["ports"][0]["published"] == "42");
  CHECK(web["ports"][1] == "42");
  CHECK(web["deploy"]["replicas"] == 42);
  CHECK(web["healthcheck"]["retries"] == 42);
  CHECK(web["healthcheck"]["disable"] == true);
  CHECK(web["ulimits"]["nofile"]["soft"] == 42);
  CHECK(web["ulimits"]["nofile"]["hard"] == 20);
  CHECK(web["ulimits"]["nproc"] == 42);
  CHECK(web["secrets"][0]["mode"] == 288);
  CHECK(web["stop_grace_period"] == "42");
  CHECK(web["mem_limit"] == "1g");
  CHECK(out["networks"]["n"]["external"] == true);
  CHECK(out["networks"]["n"]["internal"] == false);
  CHECK(out["volumes"]["v"]["external"] == "maybe");
}

TEST_CASE("to_json records positions for every node", "[loader][to_json]") {
  const char* yaml = "services:\n  web:\n    image: nginx\n    ports:\n      - 80:80\n  a/b~c: {}\n";
  json out, tree_out;
  const auto eager = berth::loader::to_json(read_yaml(yaml, "t.yaml"), out);
  // The same answers from lookups in the tree the JSON came from.
  const auto from_tree = berth::loader::to_json(
      std::make_shared<const berth::loader::Node>(read_yaml(yaml, "t.yaml")), tree_out);
  CHECK(tree_out == out);
  for (const auto* map : {&eager, &from_tree}) {
    const auto& positions = *map;
    struct Case {
      const char* pointer;
      const char* mark;
    };
    const std::vector<Case> cases{
        {"", "t.yaml:1:1"},
        {"/services", "t.yaml:2:3"},
        {"/services/web/image", "t.yaml:3:12"},
        {"/services/web/ports/0", "t.yaml:5:9"},
        {"/services/web/ports/0/extra", "t.yaml:5:9"},  // nearest ancestor
        {"/services/web/nothing/deeper", "t.yaml:3:5"},
        {"/services/a~1b~0c", "t.yaml:6:10"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.pointer);
      CHECK(positions.lookup(c.pointer).to_string() == c.mark);
    }
    CHECK(positions.key_lookup("/services/web/image").to_string() == "t.yaml:3:5");
    CHECK(positions.key_lookup("/services/web/ports/0").to_string() == "t.yaml:5:9");
    CHECK(positions.key_lookup("/services/web/nothing").to_string() == "t.yaml:3:5");
  }
}

TEST_CASE("from_json round-trips and pointers convert to dotted paths", "[loader][to_json]") {
  const json original = json::parse(
      R"({"name":"p","services":{"web":{"image":"nginx","scale":2,"cpus":0.5,"tty":true,
          "command":["a","1"],"x":null}}})");
  json back;
  berth::loader::to_json(berth::loader::from_json(original), back);
  CHECK(back == original);

  struct Case {
    const char* pointer;
    const char* dotted;
  };
  const std::vector<Case> cases{
      {"", ""}, {"/services", "services"}, {"/services/web/ports/0", "services.web.ports.0"},
      {"/a~1b/c~0d", "a/b.c~d"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.pointer);
    CHECK(berth::loader::json_pointer_to_dotted(c.pointer) == c.dotted);
  }

}
