#include "berth/engine/registry_auth.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/util/error.h"

using namespace berth::engine;

namespace {

// The engine's side: base64url (with padding) of JSON.
nlohmann::json decode_header(const std::string& header) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : header) {
    if (c == '=') break;
    auto value = alphabet.find(c);
    REQUIRE(value != std::string::npos);
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  REQUIRE(header.size() % 4 == 0);
  return nlohmann::json::parse(out);
}

}  // namespace

TEST_CASE("registry host of an image reference", "[engine][registry_auth]") {
  const std::pair<const char*, const char*> cases[] = {
      {"busybox", "docker.io"},
      {"busybox:1.36", "docker.io"},
      {"library/busybox", "docker.io"},
      {"berth-local/busybox:latest", "docker.io"},
      {"docker.io/library/busybox", "docker.io"},
      {"index.docker.io/x/y", "docker.io"},
      {"127.0.0.1:5000/team/app:v1", "127.0.0.1:5000"},
      {"localhost/app", "localhost"},
      {"localhost:5000/app@sha256:abc", "localhost:5000"},
      {"ghcr.io/org/app", "ghcr.io"},
  };
  for (const auto& [reference, host] : cases) {
    CAPTURE(reference);
    CHECK(registry_host(reference) == host);
  }
}

TEST_CASE("X-Registry-Auth is base64url JSON of the credentials", "[engine][registry_auth]") {
  // '?' and '>' in the password give '/' and '+' in standard base64: the
  // engine decodes the URL alphabet only.
  RegistryCredentials c{"me", "p>?>?", "", "127.0.0.1:5000"};
  auto header = encode_registry_auth(c);
  CHECK(header.find('+') == std::string::npos);
  CHECK(header.find('/') == std::string::npos);
  auto body = decode_header(header);
  CHECK(body == nlohmann::json{{"username", "me"}, {"password", "p>?>?"}, {"serveraddress", "127.0.0.1:5000"}});
}

TEST_CASE("config.json auths: base64 auth, identitytoken, legacy keys", "[engine][registry_auth]") {
  // "alice:s3cr:et" (a colon in the password stays in the password)
  auto config = DockerConfig::parse(R"({
    "auths": {
      "127.0.0.1:5000": {"auth": "YWxpY2U6czNjcjpldA=="},
      "https://registry.example:8443/v2/": {"auth": "Ym9iOnB3"},
      "https://index.docker.io/v1/": {"auth": "aHViOmh1YnB3"},
      "tokens.example": {"auth": "dTo=", "identitytoken": "tok-123"},
      "empty.example": {}
    }
  })",
                                    "/cfg/config.json");

  auto local = decode_header(config.auth_for("127.0.0.1:5000/team/app:v1").header);
  CHECK(local["username"] == "alice");
  CHECK(local["password"] == "s3cr:et");
  CHECK(local["serveraddress"] == "127.0.0.1:5000");

  // A key written with a scheme and path matches by its host name.
  auto legacy = decode_header(config.auth_for("registry.example:8443/x").header);
  CHECK(legacy["username"] == "bob");
  CHECK(legacy["serveraddress"] == "registry.example:8443");

  auto hub = decode_header(config.auth_for("busybox").header);
  CHECK(hub["username"] == "hub");
  CHECK(hub["serveraddress"] == "https://index.docker.io/v1/");

  auto token = decode_header(config.auth_for("tokens.example/app").header);
  CHECK(token["identitytoken"] == "tok-123");
  CHECK(token["username"] == "u");
  CHECK_FALSE(token.contains("password"));

  CHECK(config.auth_for("empty.example/app").header.empty());
  CHECK(config.auth_for("other.example/app").header.empty());
  CHECK(config.auth_for("other.example/app").credential_helper.empty());

  auto all = decode_header(config.registry_config_header());
  CHECK(all["127.0.0.1:5000"]["username"] == "alice");
  CHECK(all.size() == 4);
}

TEST_CASE("credential helpers are named, not run", "[engine][registry_auth]") {
  auto config = DockerConfig::parse(R"({
    "credsStore": "desktop",
    "credHelpers": {"gcr.io": "gcloud"},
    "auths": {"inline.example": {"auth": "YTpi"}, "https://index.docker.io/v1/": {}}
  })",
                                    "/cfg/config.json");
  auto gcr = config.auth_for("gcr.io/p/app");
  CHECK(gcr.header.empty());
  CHECK(gcr.credential_helper == "docker-credential-gcloud");
  auto hub = config.auth_for("busybox");
  CHECK(hub.header.empty());
  CHECK(hub.credential_helper == "docker-credential-desktop");
  // Credentials written in the file are used even when a store is configured.
  auto inline_auth = config.auth_for("inline.example/app");
  CHECK_FALSE(inline_auth.header.empty());
  CHECK(inline_auth.credential_helper.empty());
}

TEST_CASE("a broken config.json is an error naming the file", "[engine][registry_auth]") {
  CHECK_THROWS_WITH(DockerConfig::parse("{not json", "/cfg/config.json"),
                    Catch::Contains("/cfg/config.json") && Catch::Contains("not a valid docker config"));
  CHECK_THROWS_WITH(DockerConfig::parse(R"({"auths": {"r.example": {"auth": "%%%"}}})", "/cfg/config.json"),
                    Catch::Contains("auths.r.example.auth is not base64"));
  CHECK_THROWS_WITH(DockerConfig::parse(R"({"auths": {"r.example": {"auth": "bm9jb2xvbg=="}}})", "/c.json"),
                    Catch::Contains("user:password"));
  CHECK_NOTHROW(DockerConfig::parse("", "/cfg/config.json"));
}

TEST_CASE("auth failures are recognised in engine messages", "[engine][registry_auth]") {
  CHECK(looks_like_auth_failure("Head \"https://r/v2/x/manifests/v1\": no basic auth credentials"));
  CHECK(looks_like_auth_failure("pull access denied for x, repository does not exist or may require 'docker login'"));
  CHECK(looks_like_auth_failure("unauthorized: authentication required"));
  CHECK_FALSE(looks_like_auth_failure("manifest for r/x:v9 not found: manifest unknown"));
  CHECK_FALSE(looks_like_auth_failure("dial tcp 127.0.0.1:1: connect: connection refused"));
}
