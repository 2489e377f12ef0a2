#pragma once
// Request/response helpers DockerEngine builds its calls from: whole answers
// for ordinary calls, decoded body streams for streaming ones. A status of
// 400 or more becomes a berth::Error (engine_error.h).
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "berth/engine/engine.h"
#include "chunked_decoder.h"
#include "transport.h"

namespace berth::engine {

class CancelToken;

struct HttpResult {
  ResponseHead head;
  std::string body;
};

// Largest answer read into memory (inspect, lists); streams have no limit.
inline constexpr size_t max_buffered_body = 256 * 1024 * 1024;

HttpRequest json_request(std::string method, std::string target, const nlohmann::json& body);

// Sends `request` and reads the whole answer.
HttpResult exchange(Transport& transport, const HttpRequest& request, CancelToken* cancel = nullptr);

// Sends `request` and returns the connection positioned at the body, after
// turning an error status into an Error.
std::unique_ptr<Connection> open_stream(Transport& transport, const HttpRequest& request,
                                        CancelToken* cancel);

// Sends `request` asking the engine to hijack the connection (`upgrade`:
// "tcp" when empty) and returns it as a raw duplex stream; output is in
// stdcopy frames when `multiplexed`.
std::unique_ptr<DuplexStream> hijack(Transport& transport, HttpRequest request, bool multiplexed,
                                     CancelToken* cancel);

// Decodes a response body as it arrives: Content-Length, chunked, or until
// the connection closes. A body cut short is an Io error, never a hang.
class BodyReader {
 public:
  BodyReader(Connection& connection, const std::string& method);
  // Appends the next piece of the body to `out`; false at the end.
  bool next(std::string& out);

 private:
  enum class Framing { None, Length, Chunked, UntilClose };
  size_t read_raw();
  Connection& connection_;
  Framing framing_ = Framing::UntilClose;
  std::uint64_t remaining_ = 0;
  ChunkedDecoder chunked_;
  std::string raw_;
};

// Parses a JSON answer; a malformed one is an Engine error naming `what`.
nlohmann::json parse_json(const std::string& body, const char* what);

}  // namespace berth::engine
