#include "berth/engine/engine_error.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "berth/engine/docker_host.h"

namespace berth::engine {
namespace {

std::string trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  return std::string(text);
}

std::string message_of(int status, std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object()) {
    auto it = json.find("message");
    if (it != json.end() && it->is_string() && !it->get<std::string>().empty())
      return trimmed(it->get<std::string>());
  }
  auto text = trimmed(body);
  // An HTML error page or a huge body says nothing useful in one line.
  if (text.empty() || text.size() > 512 || text.find('\n') != std::string::npos)
    return "the Docker engine answered HTTP " + std::to_string(status);
  return text;
}

}  // namespace

Error error_from_response(int status, std::string_view body) {
  auto message = message_of(status, body);
  switch (status) {
    case 404: return Error(ErrorKind::NotFound, message);
    case 409: return Error(ErrorKind::Conflict, message);
    default: break;
  }
  if (message.find("HTTP " + std::to_string(status)) == std::string::npos)
    message += " (HTTP " + std::to_string(status) + ")";
  return Error(ErrorKind::Engine, message);
}

Error engine_unavailable_error(const EngineAddress& address, std::string_view reason) {
  std::string hint;
  if (reason.find("permission denied") != std::string_view::npos) {
    hint = "run berth as root or as a member of the docker group";
  } else if (address.kind == EngineAddress::Kind::Unix) {
    hint = "is dockerd running? scripts/setup.sh starts one";
  } else {
    hint = "is dockerd listening there? check DOCKER_HOST";
  }
  return Error(ErrorKind::EngineUnavailable, "cannot connect to the Docker engine at " +
                                                 address.url() + ": " + std::string(reason) +
                                                 " (" + hint + ")");
}

}  // namespace berth::engine
