// examples/python-web, as scripts/demo.sh runs it: the dev environment
// (dev.yml, the repl sidecar), then prod (strict), which refuses the
// sidecar labelled not.for.prod. Offline: the local base images.
#include <catch2/catch.hpp>

#include "e2e_support.h"
#include "example_stack.h"

using namespace berth::e2e;

namespace {

std::string example_file() { return std::string(BERTH_SOURCE_DIR) + "/examples/python-web/compose.yaml"; }

CommandResult get(const std::string& url) { return run_command({"curl", "-sf", "--max-time", "5", url}); }

}  // namespace

TEST_CASE("examples/python-web runs in dev with its repl sidecar and in prod under strict", "[e2e][examples]") {
  std::string port = test_port(11);
  ExampleStack stack({example_file()}, {"WEB_PORT=" + port}, "pyweb");
  std::string url = "http://127.0.0.1:" + port + "/";

  auto up = stack.berth({"--env", "dev", "up", "-d", "--build", "--wait"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);

  auto page = get(url);
  CHECK(page.exit_code == 0);
  CHECK(page.out.find("Hello from berth") != std::string::npos);
  CHECK(page.out.find("development mode") != std::string::npos);
  CHECK(get(url).out.find("seen 2 times") != std::string::npos);
  CHECK(get(url + "healthz").out == "ok\n");

  auto ps = stack.berth({"--env", "dev", "ps", "--format", "json"});
  CHECK(ps.out.find("-repl-1") != std::string::npos);  // the dev sidecar runs
  CHECK(ps.out.find("-db-1") != std::string::npos);

  // prod refuses the sidecar even when dev.yml is layered by hand and its
  // profile enabled: the label is forbidden there. Nothing is changed.
  stack.files.push_back(std::string(BERTH_SOURCE_DIR) + "/examples/python-web/dev.yml");
  auto refused = stack.berth({"--env", "prod", "--profile", "dev", "up", "-d"});
  stack.files.pop_back();
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("\"not.for.prod\"") != std::string::npos);
  CHECK(get(url).out.find("development mode") != std::string::npos);

  // prod without the sidecar: strict security, production mode, and the
  // counter kept in the named volume across the recreation.
  auto prod = stack.berth({"--env", "prod", "up", "-d", "--wait", "--remove-orphans"});
  INFO(prod.out << prod.err);
  REQUIRE(prod.exit_code == 0);
  auto prod_page = get(url);
  CHECK(prod_page.out.find("production mode") != std::string::npos);
  CHECK(prod_page.out.find("seen 4 times") != std::string::npos);
  auto read_only =
      run_command({"docker", "inspect", "-f", "{{.HostConfig.ReadonlyRootfs}}", stack.project + "-web-1"});
  CHECK(read_only.out == "true\n");  // strict
  auto uid = run_command({"docker", "exec", stack.project + "-web-1", "id", "-u"});
  CHECK(uid.out == "10001\n");  // the image's fixed-UID user, not the dev layer's UID

  auto down = stack.berth({"--env", "prod", "down", "-v", "-t", "0"});
  CHECK(down.exit_code == 0);
  CHECK(run_command({"docker", "volume", "ls", "-q", "--filter", "name=" + stack.project}).out.empty());
}
