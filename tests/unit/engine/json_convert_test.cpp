#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/json_convert.h"
#include "engine/query_string.h"

using namespace berth::engine;
using nlohmann::json;

TEST_CASE("query strings and paths are percent-encoded", "[engine][query]") {
  const std::vector<std::pair<std::string, std::string>> escapes = {
      {"web-1", "web-1"},
      {"library/busybox:latest", "library/busybox:latest"},
      {"a b?c#d&e", "a%20b%3Fc%23d%26e"},
      {"localhost:5000/x@sha256:ab", "localhost:5000/x@sha256:ab"},
  };
  for (const auto& [raw, escaped] : escapes) {
    INFO(raw);
    CHECK(path_escape(raw) == escaped);
  }
  QueryString query;
  query.add("path", "/tmp/a b").add_if_set("skipped", "").add_flag("all", true).add_filters({});
  CHECK(query.str() == "?path=%2Ftmp%2Fa%20b&all=1");
  CHECK(QueryString().str().empty());
  QueryString filters;
  filters.add_filters({{"label", {"a=b", "c"}}});
  CHECK(filters.str() == "?filters=%7B%22label%22%3A%5B%22a%3Db%22%2C%22c%22%5D%7D");
}

TEST_CASE("engine JSON to typed results tolerates missing and null fields", "[engine][json]") {
  SECTION("progress messages") {
    struct Case {
      const char* line;
      ProgressMessage expected;
    };
    const std::vector<Case> cases = {
        {R"({"status":"Downloading","id":"abc","progress":"[=>  ]","progressDetail":{"current":5,"total":10}})",
         {"abc", "Downloading", "[=>  ]", 5, 10, "", "", ""}},
        {R"({"stream":"Step 1/2\n"})", {"", "", "", 0, 0, "Step 1/2\n", "", ""}},
        {R"({"errorDetail":{"message":"detailed"},"error":"short"})", {"", "", "", 0, 0, "", "detailed", ""}},
        {R"({"error":"only short"})", {"", "", "", 0, 0, "", "only short", ""}},
        {R"({"aux":{"ID":"sha256:1234"}})", {"", "", "", 0, 0, "", "", "sha256:1234"}},
        {R"({"progressDetail":null,"id":null})", {}},
    };
    for (const auto& c : cases) {
      INFO(c.line);
      auto m = progress_from_json(json::parse(c.line));
      CHECK(m.id == c.expected.id);
      CHECK(m.status == c.expected.status);
      CHECK(m.progress == c.expected.progress);
      CHECK(m.current == c.expected.current);
      CHECK(m.total == c.expected.total);
      CHECK(m.stream == c.expected.stream);
      CHECK(m.error == c.expected.error);
      CHECK(m.aux_id == c.expected.aux_id);
    }
  }
  SECTION("exec inspect: the exit code only once it stopped") {
    auto running = exec_inspect_from_json(json::parse(R"({"ID":"e","Running":true,"ExitCode":0,"Pid":42})"));
    CHECK(running.running);
    CHECK_FALSE(running.exit_code.has_value());
    auto done = exec_inspect_from_json(json::parse(R"({"ID":"e","Running":false,"ExitCode":7})"));
    CHECK(done.exit_code == 7);
    auto unknown = exec_inspect_from_json(json::parse(R"({"ID":"e","Running":false,"ExitCode":null})"));
    CHECK_FALSE(unknown.exit_code.has_value());
  }
  SECTION("summaries with null labels and no ports") {
    auto c = container_summary_from_json(json::parse(R"({"Id":"x","Labels":null,"Ports":null,"Names":null})"));
    CHECK(c.id == "x");
    CHECK(c.labels.empty());
    CHECK(c.ports.empty());
    auto v = volume_summary_from_json(json::parse(R"({"Name":"v","Labels":null})"));
    CHECK(v.name == "v");
    auto e = event_from_json(json::parse(R"({"Type":"network","Action":"create","Actor":{"ID":"n"}})"));
    CHECK(e.type == "network");
    CHECK(e.actor_id == "n");
    CHECK(e.attributes.empty());
    CHECK(container_summary_from_json(json::parse("[]")).id.empty());
  }
  SECTION("Podman's \"stopped\" (exited, not cleaned up yet) reads as exited") {
    CHECK(container_summary_from_json(json::parse(R"({"Id":"x","State":"stopped"})")).state == "exited");
    CHECK(container_summary_from_json(json::parse(R"({"Id":"x","State":"running"})")).state == "running");
  }
}

TEST_CASE("version: Podman's compatible API is told apart by its component", "[engine][json]") {
  auto docker = version_from_json(json::parse(
      R"({"Version":"20.10.24","ApiVersion":"1.41","Os":"linux","Arch":"amd64",
          "Components":[{"Name":"Engine","Version":"20.10.24"},{"Name":"containerd"}]})"));
  CHECK_FALSE(docker.podman);
  CHECK(docker.os == "linux");
  auto podman = version_from_json(json::parse(
      R"({"Version":"4.3.1","ApiVersion":"1.41","Os":"linux","Arch":"amd64",
          "Components":[{"Name":"Podman Engine","Version":"4.3.1"},{"Name":"Conmon"}]})"));
  CHECK(podman.podman);
  CHECK_FALSE(version_from_json(json::parse(R"({"Components":null})")).podman);
}

TEST_CASE("engine numbers beyond 64 bits saturate instead of overflowing", "[engine][json]") {
  // JSON has one number type: a value too large for int64 parses as a double.
  auto event = event_from_json(json::parse(R"({"time":1e300,"timeNano":1700000000000000000000})"));
  CHECK(event.time == std::numeric_limits<std::int64_t>::max());
  CHECK(event.time_nano == std::numeric_limits<std::int64_t>::max());
  CHECK(event_from_json(json::parse(R"({"time":-1e300})")).time == std::numeric_limits<std::int64_t>::min());
  CHECK(event_from_json(json::parse(R"({"time":18446744073709551615})")).time ==
        std::numeric_limits<std::int64_t>::max());
  CHECK(event_from_json(json::parse(R"({"time":12.9})")).time == 12);
  CHECK(exec_inspect_from_json(json::parse(R"({"Running":false,"ExitCode":1e30})")).exit_code ==
        std::numeric_limits<int>::max());
}

TEST_CASE("a CMD healthcheck with spaces in an argument goes to Podman as a quoted CMD-SHELL line", "[engine][json]") {
  const json quoted = healthcheck_test_for_podman(json::array({"CMD", "python3", "-c", "print(\"it's ok\")"}));
  CHECK(quoted == json::array({"CMD-SHELL", "'python3' '-c' 'print(\"it'\"'\"'s ok\")'"}));
  const json spaced = healthcheck_test_for_podman(json::array({"CMD", "sh", "-c", "echo a b"}));
  CHECK(spaced == json::array({"CMD-SHELL", "'sh' '-c' 'echo a b'"}));
  const json plain = json::array({"CMD", "wget", "-q", "http://x/"});
  CHECK(healthcheck_test_for_podman(plain) == plain);
  const json shell = json::array({"CMD-SHELL", "a b"});
  CHECK(healthcheck_test_for_podman(shell) == shell);
  CHECK(healthcheck_test_for_podman(json::array({"NONE"})) == json::array({"NONE"}));
}
