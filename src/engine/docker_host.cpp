#include "docker_host.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "berth/util/error.h"
#include "berth/util/sha256.h"

namespace berth::engine {
namespace {

[[noreturn]] void invalid(std::string_view value, const std::string& why) {
  throw Error(ErrorKind::Config, "invalid DOCKER_HOST \"" + std::string(value) + "\": " + why +
                                     " (expected unix:///path/to/docker.sock or tcp://host:port)");
}

EngineAddress parse_tcp(std::string_view value, std::string_view rest) {
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) invalid(value, "a path after the port is not supported");
  EngineAddress address;
  address.kind = EngineAddress::Kind::Tcp;
  std::string_view port_text;
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) invalid(value, "unterminated IPv6 address");
    address.host = std::string(rest.substr(1, close - 1));
    auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') invalid(value, "unexpected text after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) invalid(value, "empty port");
    }
  } else {
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(':') != colon)
      invalid(value, "IPv6 addresses must be written in brackets, e.g. tcp://[::1]:2375");
    address.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) invalid(value, "empty port");
    }
  }
  if (address.host.empty()) invalid(value, "no host");
  for (char c : address.host)
    if (c == '@' || c == ' ' || c == '?' || c == '#') invalid(value, "invalid character in host");
  address.port = default_docker_tcp_port;
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
      invalid(value, "port \"" + std::string(port_text) + "\" is not a number from 1 to 65535");
    address.port = static_cast<unsigned short>(port);
  }
  return address;
}

}  // namespace

std::string EngineAddress::url() const {
  if (kind == Kind::Unix) return "unix://" + socket_path;
  bool ipv6 = host.find(':') != std::string::npos;
  return "tcp://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

EngineAddress parse_docker_host(std::string_view value) {
  auto scheme_end = value.find("://");
  if (scheme_end == std::string_view::npos) invalid(value, "no scheme");
  auto scheme = value.substr(0, scheme_end);
  auto rest = value.substr(scheme_end + 3);
  if (scheme == "unix") {
    if (rest.empty()) invalid(value, "no socket path");
    if (rest.front() != '/') invalid(value, "the socket path must be absolute");
    EngineAddress address;
    address.kind = EngineAddress::Kind::Unix;
    address.socket_path = std::string(rest);
    return address;
  }
  if (scheme == "tcp") return parse_tcp(value, rest);
  invalid(value, "unsupported scheme \"" + std::string(scheme) + "\"");
}

std::string docker_config_dir() {
  if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) return dir;
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.docker";
  return "";
}

namespace {

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The engine endpoint of the current docker context (docker context use,
// DOCKER_CONTEXT), or the default socket.
std::string context_host() {
  const std::string dir = docker_config_dir();
  std::string name;
  if (const char* env = std::getenv("DOCKER_CONTEXT"); env && *env) name = env;
  else if (!dir.empty())
    if (auto text = read_text(dir + "/config.json")) {
      auto config = nlohmann::json::parse(*text, nullptr, false);
      if (config.is_object()) name = config.value("currentContext", "");
    }
  if (name.empty() || name == "default") return default_docker_host;
  const std::string id = sha256_hex(name);
  auto meta = read_text(dir + "/contexts/meta/" + id + "/meta.json");
  if (!meta)
    throw Error(ErrorKind::Config, "docker context \"" + name + "\" not found (no " + dir + "/contexts/meta/" + id +
                                       "/meta.json); `docker context ls` lists them");
  auto doc = nlohmann::json::parse(*meta, nullptr, false);
  const auto endpoint = doc.is_object() ? doc.value("Endpoints", nlohmann::json::object()).value("docker", nlohmann::json::object())
                                        : nlohmann::json::object();
  const std::string host = endpoint.value("Host", "");
  if (host.empty()) throw Error(ErrorKind::Config, "docker context \"" + name + "\" has no docker endpoint");
  std::error_code ec;
  if (std::filesystem::exists(dir + "/contexts/tls/" + id + "/docker", ec))
    throw Error(ErrorKind::Config, "docker context \"" + name +
                                       "\" uses TLS, which berth does not support yet; use a unix:// or plain tcp:// "
                                       "endpoint");
  return host;
}

}  // namespace

EngineAddress engine_address_from_environment() {
  // Talking plain HTTP to an engine the user secured with TLS would fail in
  // confusing ways (or leak over the network): say so up front.
  if (const char* tls = std::getenv("DOCKER_TLS_VERIFY"); tls && *tls)
    throw Error(ErrorKind::Config,
                "DOCKER_TLS_VERIFY is set, but berth does not support TLS connections to the engine yet; "
                "unset it and use a unix:// or plain tcp:// DOCKER_HOST");
  const char* value = std::getenv("DOCKER_HOST");
  if (value && *value) return parse_docker_host(value);
  return parse_docker_host(context_host());
}

}  // namespace berth::engine
