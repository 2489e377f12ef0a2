#pragma once
// Registry credentials the way the docker CLI finds them: `auths` in
// $DOCKER_CONFIG/config.json (else ~/.docker/config.json), each entry a
// base64 "user:password" `auth` (or `username`/`password`) and optionally an
// `identitytoken`. They reach the engine as the X-Registry-Auth header
// (base64url JSON). Credential helpers (`credsStore`, `credHelpers`) are
// programs berth does not run: a registry that is sent to one is pulled
// anonymously, and only when it then refuses does the pull fail with an
// error saying so (see RegistryAuth::credential_helper).
#include <map>
#include <string>

namespace berth::engine {

// The registry an image reference lives on, as the docker CLI normalizes it:
// "docker.io" for "busybox" and "library/x", "127.0.0.1:5000" for
// "127.0.0.1:5000/team/app:v1", "localhost" for "localhost/app".
std::string registry_host(const std::string& image_reference);

struct RegistryCredentials {
  std::string username;
  std::string password;
  std::string identity_token;
  std::string server_address;
};

// X-Registry-Auth: base64url of {"username","password","identitytoken","serveraddress"}
// (empty fields left out), padded, as the engine decodes it.
std::string encode_registry_auth(const RegistryCredentials& credentials);

struct RegistryAuth {
  std::string header;  // X-Registry-Auth value; "" = no credentials (anonymous)
  // The helper program the config sends this registry to ("docker-credential-desktop",
  // from credsStore or credHelpers) when no inline credentials exist: berth
  // cannot run it, so a refusal from the registry becomes a "not supported" error.
  std::string credential_helper;
};

class DockerConfig {
 public:
  // $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json. A missing
  // file is an empty config; a file that is not JSON is an error naming it.
  static DockerConfig load();
  static DockerConfig parse(const std::string& text, const std::string& path);

  // Credentials for the registry of `image_reference`.
  RegistryAuth auth_for(const std::string& image_reference) const;
  // X-Registry-Config for builds: base64url JSON of every registry's inline
  // credentials keyed by registry; "" when there are none.
  std::string registry_config_header() const;

  // The inline credentials for a registry host ("docker.io", "127.0.0.1:5000"),
  // as a build session hands them to the engine; nullptr when there are none.
  const RegistryCredentials* credentials_for_host(const std::string& host) const { return find(host); }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::map<std::string, RegistryCredentials> auths_;  // key as written in the file
  std::string creds_store_;
  std::map<std::string, std::string> cred_helpers_;

  const RegistryCredentials* find(const std::string& host) const;
};

// Whether an engine error from a pull/push reads like the registry refused
// anonymous or wrong credentials ("unauthorized", "authentication required",
// "denied", "no basic auth credentials").
bool looks_like_auth_failure(const std::string& message);

// The engine's error from a pull or push of `image`, worded so that the user
// can act on it: credentials that the config leaves to a credential helper
// (not supported by berth), a registry that does not answer.
std::string explain_registry_error(const std::string& message, const std::string& image, const RegistryAuth& auth,
                                   const DockerConfig& config);

}  // namespace berth::engine
