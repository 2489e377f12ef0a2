#include <catch2/catch.hpp>

#include "engine/docker_host.h"
#include "engine/engine_error.h"

using berth::ErrorKind;
using namespace berth::engine;

TEST_CASE("engine answers map to typed errors carrying the engine's message", "[engine][errors]") {
  struct Case {
    int status;
    std::string body;
    ErrorKind kind;
    std::string message;
  };
  const std::vector<Case> cases = {
      {404, R"({"message":"No such container: web"})", ErrorKind::NotFound, "No such container: web"},
      {409, R"({"message":"Conflict. The container name \"/web\" is already in use"})", ErrorKind::Conflict,
       "Conflict. The container name \"/web\" is already in use"},
      {500, R"({"message":"driver failed"})", ErrorKind::Engine, "driver failed (HTTP 500)"},
      {400, R"({"message":"invalid reference format\n"})", ErrorKind::Engine, "invalid reference format (HTTP 400)"},
      {404, "page not found\n", ErrorKind::NotFound, "page not found"},
      {503, "", ErrorKind::Engine, "the Docker engine answered HTTP 503"},
      {500, "<html>\n<body>oops</body>\n</html>", ErrorKind::Engine, "the Docker engine answered HTTP 500"},
      {500, R"({"message":""})", ErrorKind::Engine, "{\"message\":\"\"} (HTTP 500)"},
      {409, R"({"other":"x"})", ErrorKind::Conflict, "{\"other\":\"x\"}"},
      // One status, several meanings: the engine's words decide, here and nowhere above.
      {403, R"({"message":"error while removing network: network demo_default id 1f has active endpoints"})",
       ErrorKind::InUse, "error while removing network: network demo_default id 1f has active endpoints (HTTP 403)"},
      {409, R"({"message":"conflict: unable to remove repository reference \"a\" (must force) - container 1f is using its referenced image 2e"})",
       ErrorKind::InUse,
       "conflict: unable to remove repository reference \"a\" (must force) - container 1f is using its referenced image 2e"},
      {500, R"x({"message":"network demo_default is ambiguous (2 matches found on name)"})x", ErrorKind::Ambiguous,
       "network demo_default is ambiguous (2 matches found on name) (HTTP 500)"},
      // Podman's words for docker's 409s.
      {500, R"({"cause":"that name is already in use","message":"container create: creating container storage: the container name \"web\" is already in use by 8d5b","response":500})",
       ErrorKind::Conflict, "container create: creating container storage: the container name \"web\" is already in use by 8d5b (HTTP 500)"},
      {500, R"({"cause":"container state improper","message":"cannot remove container 8d5b as it is running - running or paused containers cannot be removed without force: container state improper","response":500})",
       ErrorKind::Conflict, "cannot remove container 8d5b as it is running - running or paused containers cannot be removed without force: container state improper (HTTP 500)"},
      {403, R"({"message":"endpoint with name web-1 already exists in network demo_default"})", ErrorKind::Conflict,
       "endpoint with name web-1 already exists in network demo_default (HTTP 403)"},
  };
  for (const auto& c : cases) {
    INFO(c.status << " " << c.body);
    auto error = error_from_response(c.status, c.body);
    CHECK(error.kind() == c.kind);
    CHECK(error.message() == c.message);
  }
}

TEST_CASE("an unreachable engine is one sentence naming the socket and what to do", "[engine][errors]") {
  struct Case {
    std::string host;
    std::string reason;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"unix:///var/run/docker.sock", "no such file",
       "cannot connect to the Docker engine at unix:///var/run/docker.sock: no such file "
       "(is dockerd running? scripts/setup.sh starts one)"},
      {"unix:///run/user.sock", "permission denied",
       "cannot connect to the Docker engine at unix:///run/user.sock: permission denied "
       "(run berth as root or as a member of the docker group)"},
      {"tcp://10.0.0.1:2375", "connection refused",
       "cannot connect to the Docker engine at tcp://10.0.0.1:2375: connection refused "
       "(is dockerd listening there? check DOCKER_HOST)"},
  };
  for (const auto& c : cases) {
    INFO(c.host);
    auto error = engine_unavailable_error(parse_docker_host(c.host), c.reason);
    CHECK(error.kind() == ErrorKind::EngineUnavailable);
    CHECK(error.message() == c.message);
  }
}
