// examples/python-web, as scripts/demo.sh runs it: the dev environment
// (dev.yml, the repl sidecar), then prod (strict), which refuses the
// sidecar labelled not.for.prod. Offline: the local base images.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "example_stack.h"
#include "lifecycle_fixture.h"

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

// The watch environment (watch.yml): `berth --env watch watch` brings the
// stack up, then an edit to app/app.py reaches the running container (owned
// by the image's user) and the development server restarts on it. Run on a
// copy, so the checkout is never edited.
TEST_CASE("examples/python-web's watch environment syncs an edit into the running app", "[e2e][examples][watch]") {
  TempDir copy("pyweb-watch");
  std::filesystem::copy(std::string(BERTH_SOURCE_DIR) + "/examples/python-web", copy.path,
                        std::filesystem::copy_options::recursive);
  const std::string port = test_port(12);
  const std::string compose = (copy.path / "compose.yaml").string();
  ExampleStack stack({compose}, {"WEB_PORT=" + port}, "pyweb-watch");
  const std::string url = "http://127.0.0.1:" + port + "/";

  std::vector<std::string> argv = {"/usr/bin/timeout", "300", "/usr/bin/env"};
  argv.insert(argv.end(), stack.env.begin(), stack.env.end());
  argv.insert(argv.end(), {BERTH_BINARY, "-f", compose, "-p", stack.project, "--progress", "plain", "--env", "watch",
                           "watch"});
  BackgroundRun watch(argv, copy.path / "watch");
  auto waited = [](const std::function<bool()>& condition, int seconds) {
    for (int i = 0; i < seconds * 10; ++i) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  REQUIRE(waited([&] { return watch.err().find("Watch enabled") != std::string::npos; }, 180));
  INFO(watch.err());
  REQUIRE(waited([&] { return get(url).out.find("Hello from berth") != std::string::npos; }, 60));
  CHECK(get(url).out.find("development mode") != std::string::npos);

  {
    const auto app = copy.path / "app/app.py";
    std::ifstream in(app);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto at = text.find("Hello from berth");
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string("Hello from berth").size(), "Hello from watch");
    std::ofstream(app, std::ios::trunc) << text;
  }
  CHECK(waited([&] { return get(url).out.find("Hello from watch") != std::string::npos; }, 60));
  auto owner = run_command({"docker", "exec", stack.project + "-web-1", "stat", "-c", "%u", "/app/app.py"});
  CHECK(owner.out == "10001\n");
  CHECK(watch.err().find("Service web  Synced  copied app.py") != std::string::npos);

  watch.signal(SIGINT);
  CHECK(watch.wait() == 0);
}
