#pragma once
// A BuildKit build session: POST /session upgraded to h2c, on which the
// engine (the HTTP/2 client) calls the gRPC services served for it: build
// secrets, SSH agent forwarding, registry credentials and the health check
// that keeps the session alive. The builds that name its id may use it
// until it is destroyed.
//
// The gRPC services run in berth-build-session (src/build_session/), a
// program of its own that this class starts and feeds.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace berth::engine {
class Engine;
class CancelToken;
}  // namespace berth::engine

namespace berth::builder {

// Where a build secret's value comes from; read only when the engine asks.
struct SessionSecret {
  std::string file;   // a path, read when the engine asks, or
  std::string value;  // the value itself (from an environment variable)
};

// An SSH id the build may use: an agent socket, or key files loaded into an
// agent berth starts for the build.
struct SessionSsh {
  std::string agent_socket;          // "" with no keys: $SSH_AUTH_SOCK
  std::vector<std::string> key_files;
};

struct SessionContent {
  std::string name;  // shown by the engine: the context directory's name
  std::map<std::string, SessionSecret> secrets;  // by id
  std::map<std::string, SessionSsh> ssh;         // by id ("default", ...)
};

class BuildSession {
 public:
  // Opens the session and starts serving it. Throws berth::Error when the
  // engine refuses it or an SSH key cannot be loaded.
  BuildSession(engine::Engine& engine, SessionContent content, engine::CancelToken* cancel);
  ~BuildSession();
  BuildSession(const BuildSession&) = delete;
  BuildSession& operator=(const BuildSession&) = delete;

  const std::string& id() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace berth::builder
