#include "engine_error.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "berth/util/strings.h"
#include "docker_host.h"

namespace berth::engine {
namespace {

std::string message_of(int status, std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object()) {
    auto it = json.find("message");
    if (it != json.end() && it->is_string()) {
      const std::string_view message = trim(it->get_ref<const std::string&>());
      if (!message.empty()) return std::string(message);
    }
  }
  const std::string_view text = trim(body);
  // An HTML error page or a huge body says nothing useful in one line.
  if (text.empty() || text.size() > 512 || text.find('\n') != std::string_view::npos)
    return "the Docker engine answered HTTP " + std::to_string(status);
  return std::string(text);
}

}  // namespace

// The kind is decided here once, from the status and, where the engine uses
// one status for several cases (403, 409, 500), from its words: nothing above
// the engine client reads an error's text.
ErrorKind error_kind(int status, const std::string& message) {
  auto says = [&](const char* words) { return message.find(words) != std::string::npos; };
  // "network demo_default is ambiguous (2 matches found on name)"
  if (says("is ambiguous")) return ErrorKind::Ambiguous;
  // A network with endpoints (403 before API 1.43, 409 after), an image a
  // container uses or that has children (409).
  if (says("has active endpoints") || says("is using its referenced image") || says("is being used by") ||
      says("has dependent child images"))
    return ErrorKind::InUse;
  if (status == 404) return ErrorKind::NotFound;
  // A name taken (409), an endpoint already on the network (403); Podman
  // answers 500 to both a taken container name ("that name is already in
  // use") and removing a running container ("container state improper").
  if (status == 409 || says("already exists") || says("is already in use") || says("container state improper"))
    return ErrorKind::Conflict;
  return ErrorKind::Engine;
}

Error error_from_response(int status, std::string_view body) {
  auto message = message_of(status, body);
  const ErrorKind kind = error_kind(status, message);
  if (status != 404 && status != 409 && message.find("HTTP " + std::to_string(status)) == std::string::npos)
    message += " (HTTP " + std::to_string(status) + ")";
  return Error(kind, message);
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
