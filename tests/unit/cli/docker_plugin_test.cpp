// The docker CLI plugin's argument handling: docker's global flags before
// the plugin's name become berth's environment, the rest is berth's.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/util/error.h"
#include "cli/docker_plugin.h"

using berth::cli::plugin_arguments;

namespace {

// Sets and restores the variables plugin_arguments writes.
struct SavedEnvironment {
  std::map<std::string, std::optional<std::string>> saved;
  SavedEnvironment() {
    for (const char* name : {"DOCKER_CONTEXT", "DOCKER_HOST", "DOCKER_CONFIG"}) {
      const char* v = std::getenv(name);
      saved[name] = v ? std::optional<std::string>(v) : std::nullopt;
      ::unsetenv(name);
    }
  }
  ~SavedEnvironment() {
    for (const auto& [name, value] : saved)
      value ? ::setenv(name.c_str(), value->c_str(), 1) : ::unsetenv(name.c_str());
  }
  static std::string get(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "<unset>";
  }
};

}  // namespace

TEST_CASE("docker's global flags before the plugin name become berth's environment", "[cli][plugin]") {
  SavedEnvironment env;
  CHECK(plugin_arguments({"docker-berth", "berth", "up", "-d"}) ==
        std::vector<std::string>{"docker-berth", "up", "-d"});

  ::setenv("DOCKER_HOST", "unix:///from/env.sock", 1);
  CHECK(plugin_arguments({"docker-berth", "--context", "prod", "berth", "ps"}) ==
        std::vector<std::string>{"docker-berth", "ps"});
  CHECK(SavedEnvironment::get("DOCKER_CONTEXT") == "prod");
  CHECK(SavedEnvironment::get("DOCKER_HOST") == "<unset>");  // --context wins, as in docker

  plugin_arguments({"docker-berth", "-H", "tcp://10.0.0.1:2375", "--config=/etc/dc", "-D", "--log-level", "info",
                    "berth", "version"});
  CHECK(SavedEnvironment::get("DOCKER_HOST") == "tcp://10.0.0.1:2375");
  CHECK(SavedEnvironment::get("DOCKER_CONFIG") == "/etc/dc");

  CHECK_THROWS_WITH(plugin_arguments({"docker-berth", "--tlsverify", "berth", "ps"}),
                    Catch::Contains("berth does not support TLS"));
  CHECK_THROWS_WITH(plugin_arguments({"docker-berth", "--context"}), Catch::Contains("needs a value"));
  CHECK_THROWS_WITH(plugin_arguments({"docker-berth", "--frobnicate", "berth"}),
                    Catch::Contains("--frobnicate is not one berth understands"));
}

TEST_CASE("the plugin is recognised by docker's variable or its name", "[cli][plugin]") {
  SavedEnvironment env;
  const char* original = std::getenv("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND");
  std::optional<std::string> saved = original ? std::optional<std::string>(original) : std::nullopt;
  ::unsetenv("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND");
  CHECK(berth::cli::running_as_docker_plugin("/usr/lib/docker/cli-plugins/docker-berth"));
  CHECK(!berth::cli::running_as_docker_plugin("/usr/bin/berth"));
  ::setenv("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND", "docker", 1);
  CHECK(berth::cli::running_as_docker_plugin("/usr/bin/berth"));
  saved ? ::setenv("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND", saved->c_str(), 1)
        : ::unsetenv("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND");
  CHECK(berth::cli::docker_plugin_metadata().find(R"("SchemaVersion":"0.1.0")") != std::string::npos);
}
