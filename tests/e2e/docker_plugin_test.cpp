// berth as a docker CLI plugin (`docker berth ...`) and docker contexts,
// with the docker CLI on the machine: the plugin is a docker-berth link in
// a private DOCKER_CONFIG's cli-plugins directory, the contexts are made
// there too, so the user's own docker configuration is never touched.
#include <catch2/catch.hpp>

#include <filesystem>

#include "e2e_support.h"

using namespace berth::e2e;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("docker berth runs berth as a docker CLI plugin, with docker's context and host flags",
          "[e2e][plugin]") {
  if (run_command({"docker", "--version"}).exit_code != 0) {
    WARN("no docker CLI on this machine: nothing to check");
    return;
  }
  TempDir config("docker-config");
  fs::create_directories(config.path / "cli-plugins");
  fs::create_symlink(BERTH_BINARY, config.path / "cli-plugins" / "docker-berth");
  const std::string env = "DOCKER_CONFIG=" + config.path.string();

  auto metadata = run_command({BERTH_BINARY, "docker-cli-plugin-metadata"});
  CHECK(metadata.exit_code == 0);
  CHECK(contains(metadata.out, R"("SchemaVersion":"0.1.0")"));
  CHECK(contains(metadata.out, R"("Vendor":"berth")"));

  auto version = run_command({"docker", "berth", "version"}, "", {env});
  INFO(version.err);
  CHECK(version.exit_code == 0);
  CHECK(contains(version.out, "berth version v"));
  CHECK(contains(version.out, "API version"));

  // A context whose endpoint is the real engine, and one that is not.
  REQUIRE(run_command({"docker", "context", "create", "real", "--docker", "host=unix:///var/run/docker.sock"}, "",
                      {env}).exit_code == 0);
  const std::string nowhere = (config.path / "nowhere.sock").string();
  REQUIRE(run_command({"docker", "context", "create", "nowhere", "--docker", "host=unix://" + nowhere}, "", {env})
              .exit_code == 0);

  CHECK(run_command({"docker", "--context", "real", "berth", "version"}, "", {env}).exit_code == 0);
  auto unreachable = run_command({"docker", "--context", "nowhere", "berth", "version"}, "", {env});
  CHECK(unreachable.exit_code != 0);
  CHECK(contains(unreachable.err, nowhere));
  // -H wins for that run.
  CHECK(run_command({"docker", "-H", "unix:///var/run/docker.sock", "berth", "version"}, "", {env}).exit_code == 0);

  // berth alone reads the same contexts: DOCKER_CONTEXT, then currentContext.
  auto by_env = run_command({BERTH_BINARY, "version"}, "", {env, "DOCKER_CONTEXT=nowhere"});
  CHECK(by_env.exit_code != 0);
  CHECK(contains(by_env.err, nowhere));
  REQUIRE(run_command({"docker", "context", "use", "nowhere"}, "", {env}).exit_code == 0);
  CHECK(run_command({BERTH_BINARY, "version"}, "", {env}).exit_code != 0);
  CHECK(run_command({BERTH_BINARY, "version"}, "", {env, "DOCKER_HOST=unix:///var/run/docker.sock"}).exit_code == 0);
  auto missing = run_command({BERTH_BINARY, "version"}, "", {env, "DOCKER_CONTEXT=nosuch"});
  CHECK(missing.exit_code != 0);
  CHECK(contains(missing.err, "docker context \"nosuch\" not found"));
}
