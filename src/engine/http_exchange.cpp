#include "http_exchange.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "engine_error.h"
#include "berth/util/error.h"

namespace berth::engine {
namespace {

[[noreturn]] void cut_short() {
  throw Error(ErrorKind::Io,
              "the Docker engine closed the connection in the middle of a response");
}

}  // namespace

HttpRequest json_request(std::string method, std::string target, const nlohmann::json& body) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = body.dump();
  return request;
}

BodyReader::BodyReader(Connection& connection, const std::string& method) : connection_(connection) {
  int status = connection.head().status;
  const auto& headers = connection.head().headers;
  if (method == "HEAD" || (status >= 100 && status < 200) || status == 204 || status == 304) {
    framing_ = Framing::None;
    return;
  }
  if (const auto* encoding = find_header(headers, "Transfer-Encoding");
      encoding && encoding->find("chunked") != std::string::npos) {
    framing_ = Framing::Chunked;
    return;
  }
  if (const auto* length = find_header(headers, "Content-Length")) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), value);
    if (ec != std::errc() || end != length->data() + length->size())
      throw Error(ErrorKind::Engine, "the Docker engine sent an invalid Content-Length: " + *length);
    framing_ = Framing::Length;
    remaining_ = value;
    return;
  }
  framing_ = Framing::UntilClose;
}

size_t BodyReader::read_raw() {
  raw_.resize(64 * 1024);
  size_t n = connection_.read_some(raw_.data(), raw_.size());
  raw_.resize(n);
  return n;
}

bool BodyReader::next(std::string& out) {
  switch (framing_) {
    case Framing::None: return false;
    case Framing::UntilClose: {
      if (read_raw() == 0) {
        framing_ = Framing::None;
        return false;
      }
      out += raw_;
      return true;
    }
    case Framing::Length: {
      if (remaining_ == 0) return false;
      if (read_raw() == 0) cut_short();
      size_t take = static_cast<size_t>(std::min<std::uint64_t>(remaining_, raw_.size()));
      out.append(raw_, 0, take);
      remaining_ -= take;
      return true;
    }
    case Framing::Chunked: {
      size_t before = out.size();
      while (!chunked_.done()) {
        if (read_raw() == 0) cut_short();
        chunked_.feed(raw_, out);
        if (out.size() > before) return true;
      }
      return out.size() > before;
    }
  }
  return false;
}

std::unique_ptr<Connection> open_stream(Transport& transport, const HttpRequest& request, CancelToken* cancel) {
  auto connection = transport.send(request, cancel);
  int status = connection->head().status;
  if (status >= 400) {
    // The error body is small; a limit keeps a misbehaving engine in check.
    connection->set_read_timeout(std::chrono::seconds(30));
    BodyReader reader(*connection, request.method);
    std::string body;
    try {
      while (body.size() < 64 * 1024 && reader.next(body)) {
      }
    } catch (const Error&) {
      // The status alone still says what happened.
    }
    throw error_from_response(status, body);
  }
  return connection;
}

namespace {

class HijackedStream final : public DuplexStream {
 public:
  HijackedStream(std::unique_ptr<Connection> connection, bool multiplexed)
      : connection_(std::move(connection)), multiplexed_(multiplexed) {}
  size_t read_some(char* data, size_t size) override { return connection_->read_some(data, size); }
  void write(std::string_view data) override { connection_->write(data); }
  void close_write() override { connection_->close_write(); }
  void cancel() override { connection_->cancel(); }
  bool multiplexed() const override { return multiplexed_; }

 private:
  std::unique_ptr<Connection> connection_;
  bool multiplexed_;
};

}  // namespace

std::unique_ptr<DuplexStream> hijack(Transport& transport, HttpRequest request, bool multiplexed,
                                     CancelToken* cancel) {
  if (request.upgrade.empty()) request.upgrade = "tcp";
  auto connection = open_stream(transport, request, cancel);
  int status = connection->head().status;
  // 101 for an upgrade; engines that ignore the Upgrade header answer 200
  // and hijack all the same.
  if (status != 101 && status != 200)
    throw Error(ErrorKind::Engine, "the Docker engine did not hand over the connection (HTTP " +
                                       std::to_string(status) + ")");
  return std::make_unique<HijackedStream>(std::move(connection), multiplexed);
}

HttpResult exchange(Transport& transport, const HttpRequest& request, CancelToken* cancel) {
  auto connection = open_stream(transport, request, cancel);
  connection->set_read_timeout(request.head_timeout.value_or(std::chrono::seconds(120)));
  HttpResult result;
  BodyReader reader(*connection, request.method);
  while (reader.next(result.body)) {
    if (result.body.size() > max_buffered_body)
      throw Error(ErrorKind::Engine, "the Docker engine's answer is too large");
  }
  result.head = connection->head();
  return result;
}

nlohmann::json parse_json(const std::string& body, const char* what) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded())
    throw Error(ErrorKind::Engine, std::string("the Docker engine sent malformed JSON for ") + what);
  return json;
}

}  // namespace berth::engine
