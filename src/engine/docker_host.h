#pragma once
// Where the Docker engine listens, from DOCKER_HOST: unix:///path or
// tcp://host:port (plain HTTP). Anything else is a configuration error that
// names DOCKER_HOST.
#include <string>
#include <string_view>

namespace berth::engine {

inline constexpr const char* default_docker_host = "unix:///var/run/docker.sock";
inline constexpr unsigned short default_docker_tcp_port = 2375;

struct EngineAddress {
  enum class Kind { Unix, Tcp };
  Kind kind = Kind::Unix;
  std::string socket_path;  // Unix
  std::string host;         // Tcp: a name, an IPv4 address or an IPv6 address without brackets
  unsigned short port = 0;  // Tcp
  // The address as a URL, e.g. "unix:///var/run/docker.sock", for messages.
  std::string url() const;
};

// Throws berth::Error (Config) for anything berth cannot connect to.
EngineAddress parse_docker_host(std::string_view value);

// DOCKER_HOST from the environment, or the default socket when unset/empty.
EngineAddress engine_address_from_environment();

}  // namespace berth::engine
