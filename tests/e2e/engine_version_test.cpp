#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

using namespace berth::e2e;

TEST_CASE("berth version shows the engine and the negotiated API version", "[e2e][engine]") {
  auto r = run_berth({"version"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith(std::string("berth version v") + BERTH_VERSION_FOR_TESTS + "\n"));
  CHECK_THAT(r.out, Catch::Contains("Engine version "));
  CHECK_THAT(r.out, Catch::Contains("API version 1."));

  auto j = run_berth({"version", "--format", "json"});
  CHECK(j.exit_code == 0);
  auto json = nlohmann::json::parse(j.out);
  CHECK(json["version"] == std::string("v") + BERTH_VERSION_FOR_TESTS);
  CHECK_FALSE(json["engine"]["version"].get<std::string>().empty());
  CHECK(json["engine"]["api_version"].get<std::string>().rfind("1.", 0) == 0);
}

TEST_CASE("berth version without an engine: client part, one-line reason, exit 1, fast", "[e2e][engine]") {
  struct Case {
    std::string docker_host;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"unix:///nonexistent",
       "cannot connect to the Docker engine at unix:///nonexistent: no such file "
       "(is dockerd running? scripts/setup.sh starts one)"},
      {"ftp://x", "invalid DOCKER_HOST \"ftp://x\""},
      {"tcp://127.0.0.1:1",
       "cannot connect to the Docker engine at tcp://127.0.0.1:1: connection refused"},
  };
  for (const auto& c : cases) {
    INFO(c.docker_host);
    auto started = std::chrono::steady_clock::now();
    auto r = run_berth({"version"}, "", {"DOCKER_HOST=" + c.docker_host});
    auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(r.exit_code == 1);
    CHECK(r.out == std::string("berth version v") + BERTH_VERSION_FOR_TESTS + "\n");
    CHECK_THAT(r.err, Catch::Contains(c.reason));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(elapsed < std::chrono::seconds(2));
  }
}

TEST_CASE("berth version refuses DOCKER_TLS_VERIFY and ssh:// by name", "[e2e][engine]") {
  auto tls = berth::e2e::run_berth({"version"}, "", {"DOCKER_TLS_VERIFY=1"});
  CHECK(tls.exit_code == 1);
  CHECK(tls.err.find("DOCKER_TLS_VERIFY") != std::string::npos);
  auto ssh = berth::e2e::run_berth({"version"}, "", {"DOCKER_HOST=ssh://user@host"});
  CHECK(ssh.exit_code == 1);
  CHECK(ssh.err.find("DOCKER_HOST") != std::string::npos);
}
