// The only file that uses Boost.Asio/Beast. Sockets run in non-blocking mode
// and every wait is a poll() with a deadline, so each direction of a
// connection can block on its own thread (a hijacked exec pumps stdin and
// stdout at once), and cancel() unblocks a waiting reader by shutting the
// socket down.
#include "transport.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "berth/engine/cancel_token.h"
#include "engine_error.h"
#include "berth/util/error.h"

namespace berth::engine {

const std::string* find_header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (header.name.size() != name.size()) continue;
    bool same = std::equal(name.begin(), name.end(), header.name.begin(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    if (same) return &header.value;
  }
  return nullptr;
}

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string seconds_text(milliseconds d) {
  auto tenths = d.count() / 100;
  if (tenths % 10 == 0) return std::to_string(tenths / 10) + "s";
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "s";
}

// Short words for the errors people meet, in the style of the rest of berth.
std::string reason_text(const error_code& ec) {
  switch (ec.value()) {
    case ENOENT: return "no such file";
    case ECONNREFUSED: return "connection refused";
    case EACCES:
    case EPERM: return "permission denied";
    case ENOTSOCK: return "not a socket";
    case ETIMEDOUT: return "timed out";
    default: break;
  }
  auto text = ec.message();
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

template <class Protocol>
class SocketConnection final : public Connection {
 public:
  SocketConnection(const EngineAddress& address, const TransportTimeouts& timeouts)
      : address_(address), timeouts_(timeouts), socket_(io_) {}

  ~SocketConnection() override {
    registration_.reset();
    std::lock_guard lock(fd_mutex_);
    error_code ignored;
    socket_.close(ignored);
  }

  // Tries each endpoint until one connects within the connect timeout.
  template <class Endpoints>
  void connect(const Endpoints& endpoints, CancelToken* cancel) {
    registration_ = std::make_unique<CancelRegistration>(cancel, [this] { cancel_now(); });
    auto deadline = Clock::now() + timeouts_.connect;
    error_code ec = asio::error::host_not_found;
    for (const auto& endpoint : endpoints) {
      ec = try_connect(endpoint, deadline);
      if (!ec) return;
      if (cancelled_) throw_cancelled();
    }
    if (ec == asio::error::timed_out)
      throw engine_unavailable_error(address_, "no answer within " + seconds_text(timeouts_.connect));
    throw engine_unavailable_error(address_, reason_text(ec));
  }

  void send_request(const HttpRequest& request) {
    milliseconds request_timeout = timeouts_.request;
    error_code write_error = write_request(request, request_timeout);
    if (write_error && (cancelled_ || write_error == asio::error::timed_out))
      throw_io_error(write_error, request_timeout, "sending the request");
    // When sending failed the engine may still have answered (e.g. refused a
    // build early): its answer says more than "broken pipe".
    http::response_parser<http::empty_body> parser;
    parser.header_limit(1 << 20);
    if (request.method == "HEAD") parser.skip(true);
    milliseconds head_timeout = request.head_timeout.value_or(request_timeout);
    TimedStream stream{this, head_timeout};
    error_code ec;
    http::read_header(stream, buffer_, parser, ec);
    if (ec) {
      if (write_error) throw_io_error(write_error, request_timeout, "sending the request");
      if (ec == http::error::end_of_stream || ec == asio::error::eof)
        throw Error(ErrorKind::Engine, "the Docker engine at " + address_.url() +
                                           " closed the connection without answering");
      if (ec.category() == http::make_error_code(http::error::bad_version).category())
        throw Error(ErrorKind::Engine, "the Docker engine at " + address_.url() +
                                           " sent a malformed HTTP answer: " + ec.message());
      throw_io_error(ec, head_timeout, "waiting for the answer");
    }
    const auto& response = parser.get();
    head_.status = static_cast<int>(response.result_int());
    head_.reason = std::string(response.reason());
    for (const auto& field : response)
      head_.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }

  const ResponseHead& head() const override { return head_; }

  size_t read_some(char* data, size_t size) override {
    if (buffer_.size() > 0) {
      size_t n = asio::buffer_copy(asio::buffer(data, size), buffer_.data());
      buffer_.consume(n);
      return n;
    }
    error_code ec;
    size_t n = read_raw(asio::buffer(data, size), read_timeout_, ec);
    if (ec == asio::error::eof) return 0;
    if (ec) throw_io_error(ec, read_timeout_.value_or(milliseconds(0)), "reading the answer");
    return n;
  }

  void write(std::string_view data) override {
    error_code ec = write_all(data, timeouts_.request);
    if (ec) throw_io_error(ec, timeouts_.request, "writing to the connection");
  }

  void close_write() override {
    std::lock_guard lock(fd_mutex_);
    error_code ignored;
    socket_.shutdown(asio::socket_base::shutdown_send, ignored);
  }

  void cancel() override { cancel_now(); }

  void set_read_timeout(std::optional<milliseconds> timeout) override { read_timeout_ = timeout; }

 private:
  // Beast's SyncReadStream/SyncWriteStream over this connection, with one
  // deadline for each call.
  struct TimedStream {
    SocketConnection* owner;
    milliseconds timeout;
    template <class Buffers>
    size_t read_some(const Buffers& buffers, error_code& ec) {
      return owner->read_raw(buffers, timeout, ec);
    }
    template <class Buffers>
    size_t read_some(const Buffers& buffers) {
      error_code ec;
      size_t n = read_some(buffers, ec);
      if (ec) throw boost::system::system_error(ec);
      return n;
    }
    template <class Buffers>
    size_t write_some(const Buffers& buffers, error_code& ec) {
      return owner->write_raw(buffers, timeout, ec);
    }
    template <class Buffers>
    size_t write_some(const Buffers& buffers) {
      error_code ec;
      size_t n = write_some(buffers, ec);
      if (ec) throw boost::system::system_error(ec);
      return n;
    }
  };

  void cancel_now() {
    std::lock_guard lock(fd_mutex_);
    cancelled_ = true;
    if (socket_.is_open()) ::shutdown(socket_.native_handle(), SHUT_RDWR);
  }

  [[noreturn]] void throw_cancelled() { throw Error(ErrorKind::Interrupted, "cancelled"); }

  [[noreturn]] void throw_io_error(const error_code& ec, milliseconds timeout, const char* doing) {
    if (cancelled_ || ec == asio::error::operation_aborted) throw_cancelled();
    if (ec == asio::error::timed_out)
      throw Error(ErrorKind::Io, "the Docker engine at " + address_.url() + " did not answer within " +
                                     seconds_text(timeout) + " (" + doing + ")");
    throw Error(ErrorKind::Io, "lost the connection to the Docker engine at " + address_.url() +
                                   " while " + doing + ": " + reason_text(ec));
  }

  error_code try_connect(const typename Protocol::endpoint& endpoint, Clock::time_point deadline) {
    error_code ec;
    {
      std::lock_guard lock(fd_mutex_);
      socket_.close(ec);
      socket_.open(endpoint.protocol(), ec);
      if (ec) return ec;
      socket_.non_blocking(true, ec);
      if (ec) return ec;
    }
    // Asio's own connect waits without a limit; a raw non-blocking connect
    // plus poll keeps the connect timeout.
    if (::connect(socket_.native_handle(), endpoint.data(), static_cast<socklen_t>(endpoint.size())) == 0)
      return {};
    if (errno != EINPROGRESS && errno != EAGAIN) return error_code(errno, boost::system::system_category());
    if (!wait_ready(POLLOUT, deadline, ec)) return ec;
    int so_error = 0;
    socklen_t length = sizeof so_error;
    ::getsockopt(socket_.native_handle(), SOL_SOCKET, SO_ERROR, &so_error, &length);
    return error_code(so_error, boost::system::system_category());
  }

  // False with `ec` set on timeout or cancel.
  bool wait_ready(short events, std::optional<Clock::time_point> deadline, error_code& ec) {
    pollfd fd{socket_.native_handle(), events, 0};
    for (;;) {
      if (cancelled_) {
        ec = asio::error::operation_aborted;
        return false;
      }
      int wait_ms = -1;
      if (deadline) {
        auto left = std::chrono::ceil<milliseconds>(*deadline - Clock::now()).count();
        wait_ms = static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
      }
      int ready = ::poll(&fd, 1, wait_ms);
      if (ready < 0 && errno == EINTR) continue;
      if (cancelled_) {
        ec = asio::error::operation_aborted;
        return false;
      }
      if (ready == 0) {
        ec = asio::error::timed_out;
        return false;
      }
      return true;  // ready, or an error the next read/write reports
    }
  }

  static std::optional<Clock::time_point> deadline_after(std::optional<milliseconds> timeout) {
    if (!timeout) return std::nullopt;
    return Clock::now() + *timeout;
  }

  template <class Buffers>
  size_t read_raw(const Buffers& buffers, std::optional<milliseconds> timeout, error_code& ec) {
    auto deadline = deadline_after(timeout);
    for (;;) {
      if (!wait_ready(POLLIN, deadline, ec)) return 0;
      size_t n = socket_.read_some(buffers, ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again || ec == asio::error::interrupted)
        continue;
      if (cancelled_) ec = asio::error::operation_aborted;
      return n;
    }
  }

  template <class Buffers>
  size_t write_raw(const Buffers& buffers, std::optional<milliseconds> timeout, error_code& ec) {
    auto deadline = deadline_after(timeout);
    for (;;) {
      if (!wait_ready(POLLOUT, deadline, ec)) return 0;
      size_t n = socket_.write_some(buffers, ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again || ec == asio::error::interrupted)
        continue;
      return n;
    }
  }

  error_code write_all(std::string_view data, milliseconds timeout) {
    error_code ec;
    while (!data.empty()) {
      size_t n = write_raw(asio::buffer(data.data(), data.size()), timeout, ec);
      if (ec) return ec;
      data.remove_prefix(n);
    }
    return ec;
  }

  error_code write_request(const HttpRequest& request, milliseconds timeout) {
    http::request<http::empty_body> message;
    message.version(11);
    message.method_string(request.method);
    message.target(request.target);
    message.set(http::field::host, address_.kind == EngineAddress::Kind::Unix
                                       ? std::string("docker")
                                       : address_.host + ":" + std::to_string(address_.port));
    message.set(http::field::user_agent, "berth/" BERTH_VERSION);
    for (const auto& header : request.headers) message.set(header.name, header.value);
    if (request.body_source) {
      message.chunked(true);
    } else if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
      message.content_length(request.body.size());
    }
    if (!request.upgrade.empty()) {
      message.set(http::field::connection, "Upgrade");
      message.set(http::field::upgrade, request.upgrade);
    }
    http::request_serializer<http::empty_body> serializer{message};
    TimedStream stream{this, timeout};
    error_code ec;
    http::write_header(stream, serializer, ec);
    if (ec) return ec;
    if (!request.body_source) return write_all(request.body, timeout);

    std::string chunk;
    for (;;) {
      chunk.clear();
      bool more = request.body_source(chunk);
      if (!chunk.empty()) {
        char size_line[32];
        int length = std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
        if ((ec = write_all(std::string_view(size_line, static_cast<size_t>(length)), timeout))) return ec;
        if ((ec = write_all(chunk, timeout))) return ec;
        if ((ec = write_all("\r\n", timeout))) return ec;
      }
      if (!more) break;
      if (cancelled_) return asio::error::operation_aborted;
    }
    return write_all("0\r\n\r\n", timeout);
  }

  EngineAddress address_;
  TransportTimeouts timeouts_;
  asio::io_context io_;
  typename Protocol::socket socket_;
  std::mutex fd_mutex_;  // orders cancel's shutdown against close/reopen
  std::atomic<bool> cancelled_{false};
  std::unique_ptr<CancelRegistration> registration_;
  beast::flat_buffer buffer_;  // bytes read past the response head
  ResponseHead head_;
  std::optional<milliseconds> read_timeout_;
};

class SocketTransport final : public Transport {
 public:
  SocketTransport(EngineAddress address, TransportTimeouts timeouts)
      : address_(std::move(address)), timeouts_(timeouts) {}

  std::unique_ptr<Connection> send(const HttpRequest& request, CancelToken* cancel) override {
    if (cancel && cancel->cancelled()) throw Error(ErrorKind::Interrupted, "cancelled");
    if (address_.kind == EngineAddress::Kind::Unix) {
      using Protocol = asio::local::stream_protocol;
      auto connection = std::make_unique<SocketConnection<Protocol>>(address_, timeouts_);
      std::vector<Protocol::endpoint> endpoints{Protocol::endpoint(address_.socket_path)};
      connection->connect(endpoints, cancel);
      connection->send_request(request);
      return connection;
    }
    using Protocol = asio::ip::tcp;
    auto connection = std::make_unique<SocketConnection<Protocol>>(address_, timeouts_);
    asio::io_context io;
    Protocol::resolver resolver(io);
    error_code ec;
    auto results = resolver.resolve(address_.host, std::to_string(address_.port), ec);
    if (ec) throw engine_unavailable_error(address_, "cannot resolve " + address_.host + ": " + reason_text(ec));
    std::vector<Protocol::endpoint> endpoints;
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    connection->connect(endpoints, cancel);
    connection->send_request(request);
    return connection;
  }

  const EngineAddress& address() const override { return address_; }

 private:
  EngineAddress address_;
  TransportTimeouts timeouts_;
};

}  // namespace

std::unique_ptr<Transport> make_transport(const EngineAddress& address, const TransportTimeouts& timeouts) {
  return std::make_unique<SocketTransport>(address, timeouts);
}

}  // namespace berth::engine
