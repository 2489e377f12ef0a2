#include "berth/engine/registry_auth.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "berth/util/base64.h"
#include "berth/util/error.h"
#include "docker_host.h"

namespace berth::engine {
namespace {

constexpr const char* kDockerHub = "docker.io";
// The key `docker login` writes for Docker Hub.
constexpr const char* kDockerHubKey = "https://index.docker.io/v1/";

// "https://host:5000/v1/" → "host:5000", as the docker CLI compares legacy keys.
std::string hostname_of(std::string key) {
  for (const char* scheme : {"http://", "https://"})
    if (key.starts_with(scheme)) key = key.substr(std::string(scheme).size());
  if (auto slash = key.find('/'); slash != std::string::npos) key.resize(slash);
  return key;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string registry_host(const std::string& image_reference) {
  auto slash = image_reference.find('/');
  if (slash == std::string::npos) return kDockerHub;
  std::string first = image_reference.substr(0, slash);
  bool is_host = first == "localhost" || first.find('.') != std::string::npos ||
                 first.find(':') != std::string::npos ||
                 std::any_of(first.begin(), first.end(), [](unsigned char c) { return std::isupper(c); });
  if (!is_host) return kDockerHub;
  if (first == "index.docker.io" || first == "registry-1.docker.io") return kDockerHub;
  return first;
}

std::string encode_registry_auth(const RegistryCredentials& c) {
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  if (!c.username.empty()) body["username"] = c.username;
  if (!c.password.empty()) body["password"] = c.password;
  if (!c.identity_token.empty()) body["identitytoken"] = c.identity_token;
  if (!c.server_address.empty()) body["serveraddress"] = c.server_address;
  return base64_encode(body.dump(), Base64Alphabet::Url);
}

DockerConfig DockerConfig::load() {
  const std::string dir = docker_config_dir();
  if (dir.empty()) return DockerConfig();
  const std::string path = dir + "/config.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return DockerConfig();  // no file: no credentials, as for the docker CLI
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ErrorKind::Io, "cannot read " + path);
  return parse(text.str(), path);
}

DockerConfig DockerConfig::parse(const std::string& text, const std::string& path) {
  DockerConfig config;
  config.path_ = path;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return config;
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw Error(ErrorKind::Config, path + ": not a valid docker config file (expected a JSON object)");
  config.creds_store_ = string_field(doc, "credsStore");
  if (auto it = doc.find("credHelpers"); it != doc.end() && it->is_object())
    for (const auto& [host, helper] : it->items())
      if (helper.is_string()) config.cred_helpers_[host] = helper.get<std::string>();
  if (auto it = doc.find("auths"); it != doc.end() && it->is_object())
    for (const auto& [key, entry] : it->items()) {
      if (!entry.is_object()) continue;
      RegistryCredentials c;
      c.server_address = key;
      c.username = string_field(entry, "username");
      c.password = string_field(entry, "password");
      c.identity_token = string_field(entry, "identitytoken");
      if (auto auth = string_field(entry, "auth"); !auth.empty()) {
        std::string decoded;
        try {
          decoded = base64_decode(auth);
        } catch (const Error&) {
          throw Error(ErrorKind::Config, path + ": auths." + key + ".auth is not base64");
        }
        auto colon = decoded.find(':');
        if (colon == std::string::npos)
          throw Error(ErrorKind::Config, path + ": auths." + key + ".auth is not base64 of \"user:password\"");
        c.username = decoded.substr(0, colon);
        c.password = decoded.substr(colon + 1);
      }
      // An entry with nothing in it ({} is what `docker login` leaves when a
      // helper holds the secret) is no credentials.
      if (c.username.empty() && c.password.empty() && c.identity_token.empty()) continue;
      config.auths_[key] = std::move(c);
    }
  return config;
}

const RegistryCredentials* DockerConfig::find(const std::string& host) const {
  const std::string exact = host == kDockerHub ? kDockerHubKey : host;
  if (auto it = auths_.find(exact); it != auths_.end()) return &it->second;
  for (const auto& [key, credentials] : auths_) {
    auto name = hostname_of(key);
    if (name == host || (host == kDockerHub && (name == "index.docker.io" || name == "registry-1.docker.io")))
      return &credentials;
  }
  return nullptr;
}

RegistryAuth DockerConfig::auth_for(const std::string& image_reference) const {
  const auto host = registry_host(image_reference);
  RegistryAuth auth;
  if (const auto* c = find(host)) {
    RegistryCredentials sent = *c;
    sent.server_address = host == kDockerHub ? kDockerHubKey : host;
    auth.header = encode_registry_auth(sent);
    return auth;
  }
  const std::string lookup = host == kDockerHub ? kDockerHubKey : host;
  std::string helper;
  if (auto it = cred_helpers_.find(lookup); it != cred_helpers_.end()) helper = it->second;
  else if (auto it2 = cred_helpers_.find(host); it2 != cred_helpers_.end()) helper = it2->second;
  else helper = creds_store_;
  if (!helper.empty()) auth.credential_helper = "docker-credential-" + helper;
  return auth;
}

std::string DockerConfig::registry_config_header() const {
  if (auths_.empty()) return "";
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  for (const auto& [key, c] : auths_) {
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    if (!c.username.empty()) entry["username"] = c.username;
    if (!c.password.empty()) entry["password"] = c.password;
    if (!c.identity_token.empty()) entry["identitytoken"] = c.identity_token;
    entry["serveraddress"] = key;
    body[key] = entry;
  }
  return base64_encode(body.dump(), Base64Alphabet::Url);
}

bool looks_like_auth_failure(const std::string& message) {
  std::string lower = message;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* word : {"unauthorized", "authentication required", "denied", "no basic auth credentials"})
    if (lower.find(word) != std::string::npos) return true;
  return false;
}

std::string explain_registry_error(const std::string& message, const std::string& image, const RegistryAuth& auth,
                                   const DockerConfig& config) {
  if (!auth.credential_helper.empty() && looks_like_auth_failure(message))
    return message + " (the registry " + registry_host(image) + " wants credentials, which " + config.path() +
           " leaves to the credential helper " + auth.credential_helper +
           ": credential helpers are not supported by berth; put the credentials in \"auths\" instead)";
  if (message.find("connection refused") != std::string::npos || message.find("no such host") != std::string::npos ||
      message.find("i/o timeout") != std::string::npos)
    return message + " (is the registry " + registry_host(image) + " running and reachable?)";
  return message;
}

}  // namespace berth::engine
