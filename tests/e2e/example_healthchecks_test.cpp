// examples/healthchecks: start-up ordered by health and by a one-shot
// migration's success, two api replicas behind one name.
#include <algorithm>
#include <catch2/catch.hpp>

#include "e2e_support.h"
#include "example_stack.h"

using namespace berth::e2e;

TEST_CASE("examples/healthchecks starts in dependency order and serves through the api replicas", "[e2e][examples]") {
  std::string port = test_port(12);
  ExampleStack stack({std::string(BERTH_SOURCE_DIR) + "/examples/healthchecks/compose.yaml"},
                     {"HEALTHCHECKS_PORT=" + port}, "health");

  auto up = stack.berth({"up", "-d", "--wait"});
  INFO(up.out << up.err);
  if (up.exit_code != 0)  // what the engine saw of the checks
    for (const char* container : {"-api-1", "-api-2", "-web-1"})
      UNSCOPED_INFO(container << ": "
                              << run_command({"docker", "inspect", "-f", "{{json .State}} {{.RestartCount}}",
                                              stack.project + container})
                                     .out);
  REQUIRE(up.exit_code == 0);

  for (const char* container : {"-db-1", "-api-1", "-api-2", "-web-1"}) {
    auto health =
        run_command({"docker", "inspect", "-f", "{{.State.Status}} {{.State.Health.Status}}", stack.project + container});
    CHECK(health.out == "running healthy\n");
  }
  auto replicas = stack.berth({"ps", "-q", "api"});
  CHECK(std::count(replicas.out.begin(), replicas.out.end(), '\n') == 2);

  // The migration ran once, before the api, and exited 0.
  auto migrate = run_command({"docker", "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.State.FinishedAt}}",
                              stack.project + "-migrate-1"});
  CHECK(migrate.out.rfind("exited 0 ", 0) == 0);
  auto api_started =
      run_command({"docker", "inspect", "-f", "{{.State.StartedAt}}", stack.project + "-api-1"}).out;
  CHECK(migrate.out.substr(9) < api_started);  // RFC 3339 times in UTC compare as text

  // web serves what an api replica served it: the migrated schema.
  std::string page;
  for (int i = 0; i < 20 && page.find("schema v1") == std::string::npos; ++i) {
    page = run_command({"curl", "-sf", "--max-time", "3", "http://127.0.0.1:" + port + "/"}).out;
    if (page.find("schema v1") == std::string::npos) run_command({"sleep", "0.5"});
  }
  CHECK(page.find("schema v1") != std::string::npos);
  CHECK(page.find("served by") != std::string::npos);

  CHECK(stack.berth({"down", "-v", "-t", "0"}).exit_code == 0);
}
