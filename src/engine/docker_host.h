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

// The docker CLI's configuration directory: $DOCKER_CONFIG, else
// $HOME/.docker ("" when neither is set).
std::string docker_config_dir();

// Where the engine is, as the docker CLI finds it: DOCKER_HOST; else the
// context named by DOCKER_CONTEXT or config.json's currentContext (its
// endpoint in contexts/meta/<sha256 of the name>/meta.json; "default" is
// the default socket); else the default socket. Throws berth::Error
// (Config) for a context that does not exist or needs TLS.
EngineAddress engine_address_from_environment();

}  // namespace berth::engine
