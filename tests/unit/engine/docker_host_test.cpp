#include <catch2/catch.hpp>

#include "engine/docker_host.h"
#include "berth/util/error.h"

using berth::Error;
using berth::ErrorKind;
using namespace berth::engine;

TEST_CASE("DOCKER_HOST: valid values", "[engine][docker_host]") {
  struct Case {
    std::string value;
    EngineAddress::Kind kind;
    std::string path_or_host;
    unsigned short port;
    std::string url;
  };
  using K = EngineAddress::Kind;
  const std::vector<Case> cases = {
      {"unix:///var/run/docker.sock", K::Unix, "/var/run/docker.sock", 0, "unix:///var/run/docker.sock"},
      {"unix:///run/user/1000/docker.sock", K::Unix, "/run/user/1000/docker.sock", 0,
       "unix:///run/user/1000/docker.sock"},
      {"tcp://127.0.0.1:2375", K::Tcp, "127.0.0.1", 2375, "tcp://127.0.0.1:2375"},
      {"tcp://docker.example:1234/", K::Tcp, "docker.example", 1234, "tcp://docker.example:1234"},
      {"tcp://localhost", K::Tcp, "localhost", 2375, "tcp://localhost:2375"},
      {"tcp://[::1]:2376", K::Tcp, "::1", 2376, "tcp://[::1]:2376"},
      {"tcp://[fe80::1]", K::Tcp, "fe80::1", 2375, "tcp://[fe80::1]:2375"},
  };
  for (const auto& c : cases) {
    INFO(c.value);
    auto address = parse_docker_host(c.value);
    CHECK(address.kind == c.kind);
    CHECK((c.kind == K::Unix ? address.socket_path : address.host) == c.path_or_host);
    CHECK(address.port == c.port);
    CHECK(address.url() == c.url);
  }
}

TEST_CASE("DOCKER_HOST: invalid values are config errors naming DOCKER_HOST", "[engine][docker_host]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ftp://x", "unsupported scheme \"ftp\""},
      {"ssh://user@host", "unsupported scheme \"ssh\""},
      {"npipe:////./pipe/docker_engine", "unsupported scheme \"npipe\""},
      {"/var/run/docker.sock", "no scheme"},
      {"", "no scheme"},
      {"unix://", "no socket path"},
      {"unix://relative.sock", "must be absolute"},
      {"tcp://", "no host"},
      {"tcp://:2375", "no host"},
      {"tcp://host:", "empty port"},
      {"tcp://host:abc", "port \"abc\""},
      {"tcp://host:0", "port \"0\""},
      {"tcp://host:70000", "port \"70000\""},
      {"tcp://host:2375/path", "path after the port"},
      {"tcp://::1:2375", "brackets"},
      {"tcp://[::1", "unterminated IPv6"},
  };
  for (const auto& [value, expected] : cases) {
    INFO(value);
    try {
      parse_docker_host(value);
      FAIL("accepted " << value);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Config);
      CHECK_THAT(e.message(), Catch::Contains("DOCKER_HOST"));
      CHECK_THAT(e.message(), Catch::Contains(expected));
    }
  }
}
