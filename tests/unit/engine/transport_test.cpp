// The real transport against a scripted server on a Unix socket: what goes
// on the wire, and that broken, silent or cancelled answers end with a clear
// error instead of a hang.
#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "berth/engine/cancel_token.h"
#include "engine/chunked_decoder.h"
#include "engine/transport.h"
#include "berth/util/error.h"
#include "engine/http_exchange.h"

using berth::Error;
using berth::ErrorKind;
using namespace berth::engine;
using namespace std::chrono_literals;

namespace {

// Accepts one connection, reads the request head (and a chunked body when
// there is one), then runs `script` with the connected socket.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(int fd, const std::string& request)> script) {
    static std::atomic<int> counter{0};
    path_ = "/tmp/berth-transport-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + ".sock";
    ::unlink(path_.c_str());
    listener_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path_.c_str());
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener_, 1) == 0);
    thread_ = std::thread([this, script = std::move(script)] {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      if (request.find("Transfer-Encoding: chunked") != std::string::npos) {
        ChunkedDecoder decoder;
        std::string body;
        std::string pending = request.substr(request.find("\r\n\r\n") + 4);
        decoder.feed(pending, body);
        while (!decoder.done()) {
          auto n = ::read(fd, buffer, sizeof buffer);
          if (n <= 0) break;
          decoder.feed(std::string_view(buffer, static_cast<size_t>(n)), body);
        }
        request = request.substr(0, request.find("\r\n\r\n") + 4) + "BODY:" + body;
      }
      script(fd, request);
      ::close(fd);
    });
  }
  ~ScriptedServer() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
    ::unlink(path_.c_str());
  }
  std::unique_ptr<Transport> transport(TransportTimeouts timeouts = {}) const {
    return make_transport(parse_docker_host("unix://" + path_), timeouts);
  }

 private:
  std::string path_;
  int listener_ = -1;
  std::thread thread_;
};

void send_text(int fd, std::string_view text) {
  while (!text.empty()) {
    auto n = ::write(fd, text.data(), text.size());
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

std::string read_body(Connection& connection) {
  BodyReader reader(connection, "GET");
  std::string body;
  while (reader.next(body)) {
  }
  return body;
}

}  // namespace

TEST_CASE("transport: the request on the wire, with a chunked streamed body", "[engine][transport]") {
  std::string seen;
  ScriptedServer server([&](int fd, const std::string& request) {
    seen = request;
    send_text(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nApi-Version: 1.41\r\n\r\nOK");
  });
  HttpRequest request;
  request.method = "POST";
  request.target = "/v1.41/build?t=x";
  request.headers.push_back({"Content-Type", "application/x-tar"});
  int calls = 0;
  request.body_source = [&](std::string& chunk) {
    chunk = calls == 0 ? "first " : "second";
    return ++calls < 2;
  };
  auto connection = server.transport()->send(request, nullptr);
  CHECK(connection->head().status == 200);
  CHECK(*find_header(connection->head().headers, "api-version") == "1.41");
  CHECK(read_body(*connection) == "OK");
  CHECK_THAT(seen, Catch::StartsWith("POST /v1.41/build?t=x HTTP/1.1\r\n"));
  CHECK_THAT(seen, Catch::Contains("Host: docker\r\n"));
  CHECK_THAT(seen, Catch::Contains("Content-Type: application/x-tar\r\n"));
  CHECK_THAT(seen, Catch::EndsWith("BODY:first second"));
}

TEST_CASE("transport: broken answers are clear errors, never hangs", "[engine][transport]") {
  struct Case {
    const char* name;
    std::string answer;
    ErrorKind kind;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"closed without answering", "", ErrorKind::Engine, "closed the connection without answering"},
      {"cut inside a chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", ErrorKind::Io,
       "in the middle of a response"},
      {"cut before the last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n",
       ErrorKind::Io, "in the middle of a response"},
      {"shorter than Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", ErrorKind::Io,
       "in the middle of a response"},
      {"not HTTP", "SSH-2.0-OpenSSH\r\n\r\n", ErrorKind::Engine, "sent a malformed HTTP answer"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    ScriptedServer server([&](int fd, const std::string&) { send_text(fd, c.answer); });
    HttpRequest request;
    request.target = "/x";
    try {
      auto connection = server.transport()->send(request, nullptr);
      read_body(*connection);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == c.kind);
      CHECK_THAT(e.message(), Catch::Contains(c.message));
    }
  }
}

TEST_CASE("transport: a silent engine times out, a blocked stream can be cancelled", "[engine][transport]") {
  std::atomic<bool> release{false};
  auto wait_for_release = [&] {
    for (int i = 0; i < 100 && !release; ++i) std::this_thread::sleep_for(20ms);
  };
  SECTION("no answer within the request timeout") {
    ScriptedServer server([&](int, const std::string&) { wait_for_release(); });
    TransportTimeouts timeouts;
    timeouts.request = 300ms;
    HttpRequest request;
    request.target = "/x";
    auto started = std::chrono::steady_clock::now();
    try {
      server.transport(timeouts)->send(request, nullptr);
      FAIL("no timeout");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Io);
      CHECK_THAT(e.message(), Catch::Contains("did not answer within 0.3s"));
    }
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    release = true;
  }
  SECTION("cancel from another thread while a stream waits for data") {
    ScriptedServer server([&](int fd, const std::string&) {
      send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
      wait_for_release();
    });
    CancelToken token;
    HttpRequest request;
    request.target = "/events";
    auto connection = server.transport()->send(request, &token);
    std::thread canceller([&] {
      std::this_thread::sleep_for(200ms);
      token.cancel();
    });
    auto started = std::chrono::steady_clock::now();
    try {
      read_body(*connection);
      FAIL("not cancelled");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Interrupted);
    }
    canceller.join();
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    release = true;
  }
  SECTION("a token cancelled before the call stops it at once") {
    ScriptedServer server([&](int, const std::string&) {});
    CancelToken token;
    token.cancel();
    HttpRequest request;
    request.target = "/x";
    CHECK_THROWS_AS(server.transport()->send(request, &token), Error);
  }
}
