#pragma once
// The HTTP/1.1 transport under DockerEngine: one connection per exchange,
// Unix socket or TCP, with deadlines. It writes the request and reads the
// response head; bytes after the head are handed over raw (DockerEngine
// decodes chunked bodies itself, and a hijacked connection is a plain duplex
// byte stream). Only src/engine/transport.cpp knows about Boost.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/engine/types.h"
#include "docker_host.h"

namespace berth::engine {

class CancelToken;

struct HttpHeader {
  std::string name;
  std::string value;
};
using HttpHeaders = std::vector<HttpHeader>;

// Case-insensitive lookup; nullptr when absent.
const std::string* find_header(const HttpHeaders& headers, std::string_view name);

// A BodySource that sends `data` in pieces of at most `piece_size` bytes.
BodySource body_from_string(std::string data, size_t piece_size = 64 * 1024);

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query, e.g. "/v1.41/containers/json?all=1"
  HttpHeaders headers;
  std::string body;        // sent with Content-Length unless body_source is set
  BodySource body_source;  // a streamed body (build context, archive upload), sent chunked
  // Asks the engine to hijack the connection: "tcp" (attach, exec) or "h2c"
  // (a build session, which then speaks HTTP/2); empty: an ordinary exchange.
  std::string upgrade;
  // How long to wait for the response head; unset: the transport's default.
  std::optional<std::chrono::milliseconds> head_timeout;
};

struct ResponseHead {
  int status = 0;
  std::string reason;
  HttpHeaders headers;
};

// One open exchange. read_some/write/close_write may be used from two threads
// at once (one reading, one writing); cancel() from any thread.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual const ResponseHead& head() const = 0;
  // Reads bytes after the head; 0 at the end of the stream. Throws on
  // timeout, cancel (ErrorKind::Interrupted) or a broken connection.
  virtual size_t read_some(char* data, size_t size) = 0;
  virtual void write(std::string_view data) = 0;
  virtual void close_write() = 0;
  virtual void cancel() = 0;
  // Deadline for each read; unset (the default) waits for as long as it takes.
  virtual void set_read_timeout(std::optional<std::chrono::milliseconds> timeout) = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Connects, sends the request and reads the response head. `cancel` (may be
  // null) stays attached to the returned connection for its whole life.
  virtual std::unique_ptr<Connection> send(const HttpRequest& request, CancelToken* cancel) = 0;
  virtual const EngineAddress& address() const = 0;
};

std::unique_ptr<Transport> make_transport(const EngineAddress& address,
                                          const TransportTimeouts& timeouts = {});

}  // namespace berth::engine
