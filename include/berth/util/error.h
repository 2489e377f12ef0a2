#pragma once
// One error type for all of berth: a kind (which decides the exit code and how
// the CLI words it) plus a message and a chain of context, outermost first.
#include <stdexcept>
#include <string>
#include <vector>

namespace berth {

enum class ErrorKind {
  Usage,              // bad flags or arguments
  Config,             // invalid compose files or environment
  Policy,             // refused by the security policy
  NotFound,           // engine: 404 (no such container, network, image, path...)
  Conflict,           // engine: the name or endpoint exists already (409, "already exists")
  InUse,              // engine: still used (a network with endpoints, an image of a container)
  Ambiguous,          // engine: a name matches several objects (networks made by a creation race)
  Engine,             // engine answered with another error
  EngineUnavailable,  // engine cannot be reached
  Io,                 // local files, sockets, streams
  Interrupted,        // Ctrl-C / SIGTERM
  Internal,           // a bug in berth
};

const char* to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message);

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // Context added while the error travels up, outermost first.
  const std::vector<std::string>& context() const { return context_; }
  Error& add_context(std::string outer);

 private:
  void refresh_what();
  ErrorKind kind_;
  std::string message_;
  std::vector<std::string> context_;
  std::string what_;

 public:
  const char* what() const noexcept override { return what_.c_str(); }
};

// A position in a source file, 1-based; line 0 means "unknown".
struct SourceMark {
  std::string file;
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
  // "file:line:col", or just "file" when the position is unknown.
  std::string to_string() const;
};

}  // namespace berth
