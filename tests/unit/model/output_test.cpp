#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "berth/model/output.h"

using nlohmann::json;

TEST_CASE("YAML scalars are quoted only when needed", "[output]") {
  struct Case {
    json value;
    const char* yaml;
  };
  const Case cases[] = {
      {"nginx", "v: nginx\n"},
      {"8080", "v: \"8080\"\n"},
      {"1.5", "v: \"1.5\"\n"},
      {"1e3", "v: \"1e3\"\n"},
      {"0x1F", "v: \"0x1F\"\n"},
      {"0b101", "v: \"0b101\"\n"},
      {"1_000", "v: \"1_000\"\n"},
      {"Yes-sir", "v: Yes-sir\n"},
      {"true", "v: \"true\"\n"},
      {"yes", "v: \"yes\"\n"},
      {"off", "v: \"off\"\n"},
      {"null", "v: \"null\"\n"},
      {"~", "v: \"~\"\n"},
      {"", "v: \"\"\n"},
      {"8.8.8.8", "v: 8.8.8.8\n"},
      {"02:42:ac:11:65:43", "v: 02:42:ac:11:65:43\n"},
      {"::1", "v: ::1\n"},
      {"-p", "v: -p\n"},
      {"- x", "v: \"- x\"\n"},
      {"a: b", "v: \"a: b\"\n"},
      {"a #b", "v: \"a #b\"\n"},
      {"*star", "v: \"*star\"\n"},
      {"&anchor", "v: \"&anchor\"\n"},
      {"{x}", "v: \"{x}\"\n"},
      {" lead", "v: \" lead\"\n"},
      {"trail ", "v: \"trail \"\n"},
      {"tab\there", "v: \"tab\\there\"\n"},
      {"say \"hi\"", "v: say \"hi\"\n"},
      {"\"q\" \\ \x01\x7f\r end", "v: \"\\\"q\\\" \\\\ \\x01\\x7f\\r end\"\n"},
      {"{\"json\": true}", "v: \"{\\\"json\\\": true}\"\n"},
      {"line1\nline2", "v: |-\n  line1\n  line2\n"},
      {"FROM alpine\nRUN x\n", "v: |\n  FROM alpine\n  RUN x\n"},
      {80, "v: 80\n"},
      {0.5, "v: 0.5\n"},
      {true, "v: true\n"},
      {nullptr, "v: null\n"},
      {json::object(), "v: {}\n"},
      {json::array(), "v: []\n"},
  };
  for (const auto& c : cases) {
    INFO(c.value.dump());
    std::string yaml = berth::model::to_yaml(json{{"v", c.value}});
    CHECK(yaml == c.yaml);
    // yaml-cpp reads the same string back (scalars only; its typing differs from ours).
    if (c.value.is_string()) CHECK(YAML::Load(yaml)["v"].as<std::string>() == c.value.get<std::string>());
  }
}

TEST_CASE("YAML block layout follows docker compose", "[output]") {
  json doc = json::parse(R"({
    "x-top": 1, "volumes": {"data": {"name": "p_data"}}, "name": "p",
    "services": {"web": {"ports": [{"target": 80, "published": "8080"}], "command": ["a", "b"],
                         "networks": {"default": null}, "volume": {}, "nested": [[1, 2], {"a": []}]}}})");
  const char* expected =
      "name: p\n"
      "services:\n"
      "  web:\n"
      "    command:\n"
      "      - a\n"
      "      - b\n"
      "    networks:\n"
      "      default: null\n"
      "    ports:\n"
      "      - target: 80\n"
      "        published: \"8080\"\n"
      "    nested:\n"  // not a field of compose's service: after its fields, sorted
      "      - - 1\n"
      "        - 2\n"
      "      - a: []\n"
      "    volume: {}\n"
      "volumes:\n"
      "  data:\n"
      "    name: p_data\n"
      "x-top: 1\n";
  CHECK(berth::model::to_yaml(doc) == expected);
}

TEST_CASE("JSON output is sorted and indented", "[output]") {
  CHECK(berth::model::to_json_text(json::parse(R"({"b":1,"a":[true]})")) == "{\n  \"a\": [\n    true\n  ],\n  \"b\": 1\n}");
}

TEST_CASE("dollars are doubled in values, not keys", "[output]") {
  json doc = json::parse(R"({"$k": ["a$b", "$$", 1, {"x": "no"}], "n": null})");
  berth::model::escape_dollars(doc);
  CHECK(doc == json::parse(R"({"$k": ["a$$b", "$$$$", 1, {"x": "no"}], "n": null})"));
}

TEST_CASE("a large services mapping is written whole and in order (two threads) with its comments", "[output]") {
  json doc = {{"name", "p"}, {"services", json::object()}};
  std::string expected = "name: p\nservices:\n";
  for (int i = 0; i < 100; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "s%03d", i);
    doc["services"][name] = {{"image", "x"}};
    expected += std::string("  ") + name + ":\n    image: x";
    if (i == 10 || i == 80) expected += "  # set here";  // one in each half
    expected += "\n";
  }
  const std::map<std::string, std::string> comments = {{"/services/s010/image", "set here"},
                                                       {"/services/s080/image", "set here"}};
  CHECK(berth::model::to_yaml(doc, comments) == expected);
  CHECK(berth::model::to_yaml(doc) == [&] {
    std::string plain = expected;
    for (std::size_t at; (at = plain.find("  # set here")) != std::string::npos;) plain.erase(at, 12);
    return plain;
  }());
}
