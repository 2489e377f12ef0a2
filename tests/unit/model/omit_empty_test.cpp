#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/omit_empty.h"

using nlohmann::json;

// Inspired by real compose files: `platform: ${DOCKER_PLATFORM:-}` and
// `hostname: "${MAIL_HOST:-}"` (getsentry/self-hosted), `healthcheck:
// {disable: false}` (immich), long-syntax mounts with `read_only: false`.
TEST_CASE("zero values are left out of the printed model as docker compose leaves them out", "[model][omitempty]") {
  struct Case {
    const char* name;
    json service;
    json expected;
  };
  const std::vector<Case> cases = {
      {"empty strings", {{"image", "a"}, {"platform", ""}, {"hostname", ""}, {"user", ""}, {"working_dir", ""}, {"restart", ""}},
       {{"image", "a"}}},
      {"false booleans", {{"image", "a"}, {"tty", false}, {"stdin_open", false}, {"privileged", false}, {"oom_kill_disable", false}},
       {{"image", "a"}}},
      {"true booleans stay", {{"image", "a"}, {"tty", true}, {"privileged", true}},
       {{"image", "a"}, {"tty", true}, {"privileged", true}}},
      {"zero numbers", {{"image", "a"}, {"cpus", 0}, {"cpu_shares", 0}, {"pids_limit", 0}, {"oom_score_adj", 0}, {"shm_size", 0}},
       {{"image", "a"}}},
      {"empty lists and maps", {{"image", "a"}, {"cap_add", json::array()}, {"environment", json::object()}, {"labels", json::object()}},
       {{"image", "a"}}},
      {"kept on purpose: command, init, read_only, mem_swappiness",
       {{"image", "a"}, {"command", json::array()}, {"entrypoint", json::array()}, {"init", false}, {"read_only", false},
        {"mem_swappiness", 0}},
       {{"image", "a"}, {"command", json::array()}, {"entrypoint", json::array()}, {"init", false}, {"read_only", false},
        {"mem_swappiness", 0}}},
      {"healthcheck disable false", {{"image", "a"}, {"healthcheck", {{"disable", false}}}},
       {{"image", "a"}, {"healthcheck", json::object()}}},
      {"depends_on restart false, required stays",
       {{"image", "a"}, {"depends_on", {{"db", {{"condition", "service_started"}, {"required", true}, {"restart", false}}}}}},
       {{"image", "a"}, {"depends_on", {{"db", {{"condition", "service_started"}, {"required", true}}}}}}},
      {"mounts",
       {{"image", "a"},
        {"volumes", {{{"type", "bind"}, {"source", "/s"}, {"target", "/t"}, {"read_only", false}, {"bind", {{"create_host_path", false}}}},
                     {{"type", "volume"}, {"source", "v"}, {"target", "/v"}, {"volume", {{"nocopy", false}}}}}}},
       {{"image", "a"},
        {"volumes", {{{"type", "bind"}, {"source", "/s"}, {"target", "/t"}, {"bind", json::object()}},
                     {{"type", "volume"}, {"source", "v"}, {"target", "/v"}, {"volume", json::object()}}}}}},
      {"port host_ip stays, empty name goes",
       {{"image", "a"}, {"ports", {{{"target", 80}, {"host_ip", ""}, {"name", ""}, {"mode", "ingress"}, {"protocol", "tcp"}}}}},
       {{"image", "a"}, {"ports", {{{"target", 80}, {"host_ip", ""}, {"mode", "ingress"}, {"protocol", "tcp"}}}}}},
      {"service networks",
       {{"image", "a"}, {"networks", {{"n", {{"aliases", json::array()}, {"ipv4_address", ""}}}, {"default", nullptr}}}},
       {{"image", "a"}, {"networks", {{"n", json::object()}, {"default", nullptr}}}}},
      {"build", {{"build", {{"context", "/p"}, {"dockerfile", "Dockerfile"}, {"target", ""}, {"no_cache", false}, {"pull", false}}}},
       {{"build", {{"context", "/p"}, {"dockerfile", "Dockerfile"}}}}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    json project = {{"services", {{"web", c.service}}}, {"x-keep", {{"platform", ""}, {"tty", false}}}};
    berth::model::omit_zero_values(project);
    CHECK(project["services"]["web"] == c.expected);
    CHECK(project["x-keep"] == json{{"platform", ""}, {"tty", false}});
  }
}

TEST_CASE("zero values of networks and volumes are left out, enable_ipv6 stays", "[model][omitempty]") {
  json project = {
      {"networks", {{"n", {{"name", "p_n"}, {"driver", ""}, {"internal", false}, {"attachable", false}, {"enable_ipv6", false}}}}},
      {"volumes", {{"v", {{"name", "p_v"}, {"driver", ""}, {"external", false}}}}},
      {"secrets", {{"s", {{"name", "p_s"}, {"file", "/f"}, {"external", false}}}}}};
  berth::model::omit_zero_values(project);
  CHECK(project["networks"]["n"] == json{{"name", "p_n"}, {"enable_ipv6", false}});
  CHECK(project["volumes"]["v"] == json{{"name", "p_v"}});
  CHECK(project["secrets"]["s"] == json{{"name", "p_s"}, {"file", "/f"}});
  json not_a_project = json::array({1, 2});
  berth::model::omit_zero_values(not_a_project);
  CHECK(not_a_project == json::array({1, 2}));
}

// `cpus: 1.0` (a hardened relay's compose file) prints as docker compose
// prints it: `cpus: 1`.
TEST_CASE("whole floats print as integers as Go prints them", "[model][omitempty]") {
  struct Case {
    const char* name;
    json value;
    json expected;
  };
  const std::vector<Case> cases = {
      {"whole", 1.0, 1},
      {"negative whole", -2.0, -2},
      {"zero", 0.0, 0},
      {"fraction stays", 0.5, 0.5},
      {"integer stays", 3, 3},
      {"string stays", "1.0", "1.0"},
      {"huge stays a float", 1e300, 1e300},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    json doc = {{"services", {{"web", {{"cpus", c.value},
                                        {"deploy", {{"resources", {{"limits", {{"cpus", c.value}}}}}}},
                                        {"x-nested", {{"a", c.value}}}}}}},
                {"x-list", json::array({c.value})}};
    berth::model::whole_floats_as_integers(doc);
    CHECK(doc["services"]["web"]["cpus"].type() == c.expected.type());
    CHECK(doc["services"]["web"]["cpus"] == c.expected);
    CHECK(doc["services"]["web"]["deploy"]["resources"]["limits"]["cpus"].type() == c.expected.type());
    CHECK(doc["services"]["web"]["x-nested"]["a"].type() == c.expected.type());
    CHECK(doc["x-list"][0].type() == c.expected.type());
  }
}

TEST_CASE("JSON output: an unset command and entrypoint print as null as docker compose prints them", "[model][omitempty]") {
  json project = {{"services",
                   {{"plain", {{"image", "a"}}},
                    {"cleared", {{"image", "a"}, {"command", json::array()}, {"entrypoint", json::array()}}},
                    {"set", {{"image", "a"}, {"command", {"run"}}}}}}};
  berth::model::unset_commands_as_null(project);
  CHECK(project["services"]["plain"]["command"].is_null());
  CHECK(project["services"]["plain"]["entrypoint"].is_null());
  CHECK(project["services"]["cleared"]["command"] == json::array());
  CHECK(project["services"]["cleared"]["entrypoint"] == json::array());
  CHECK(project["services"]["set"]["command"] == json{"run"});
  CHECK(project["services"]["set"]["entrypoint"].is_null());
}

// A healthcheck's `... && grep ok -s -m 1 <&3` (sentry's web service), as
// Go's JSON encoder writes it.
TEST_CASE("JSON text escapes < > & and U+2028/9 as Go's encoder does", "[model][omitempty]") {
  struct Case {
    const char* name;
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"shell operators", R"({"t": "a && b <&3 >x"})", R"({"t": "a \u0026\u0026 b \u003c\u00263 \u003ex"})"},
      {"line separators", "{\"t\": \"a\xe2\x80\xa8" "b\xe2\x80\xa9\"}", R"({"t": "a\u2028b\u2029"})"},
      {"other UTF-8 untouched", "{\"t\": \"caf\xc3\xa9 \xe2\x82\xac\"}", "{\"t\": \"caf\xc3\xa9 \xe2\x82\xac\"}"},
      {"nothing to escape", R"({"t": "plain"})", R"({"t": "plain"})"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::string text = c.text;
    berth::model::go_json_escapes(text);
    CHECK(text == c.expected);
    CHECK(json::parse(text) == json::parse(c.text));  // the same values
  }
}
