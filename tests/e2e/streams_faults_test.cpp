// End-to-end: the engine's connection is cut while berth follows a stream.
// A small proxy stands between berth and the engine's socket; cutting it
// closes every open connection mid-response, as an engine restart or a
// dropped TCP link would.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <mutex>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

class CuttingProxy {
 public:
  CuttingProxy(std::string path, std::string upstream) : path_(std::move(path)), upstream_(std::move(upstream)) {
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address = unix_address(path_);
    ::unlink(path_.c_str());
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 16) != 0)
      throw std::runtime_error("proxy: cannot listen on " + path_);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~CuttingProxy() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    cut();
    acceptor_.join();
    std::lock_guard lock(mutex_);
    for (auto& t : pumps_) t.join();
    ::close(listener_);
    ::unlink(path_.c_str());
  }
  // Closes every connection open now; new ones still work.
  void cut() {
    std::lock_guard lock(mutex_);
    for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
  }

 private:
  static sockaddr_un unix_address(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
    return address;
  }
  void accept_loop() {
    while (!stop_) {
      int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) {
        if (stop_) return;
        continue;
      }
      int server = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un address = unix_address(upstream_);
      if (::connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(client);
        ::close(server);
        continue;
      }
      std::lock_guard lock(mutex_);
      open_.push_back(client);
      open_.push_back(server);
      pumps_.emplace_back([this, client, server] { pump(client, server); });
    }
  }
  void pump(int a, int b) {
    char buffer[16384];
    pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    for (;;) {
      if (::poll(fds, 2, 200) < 0 && errno != EINTR) break;
      bool done = false;
      for (int i = 0; i < 2 && !done; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n <= 0 || ::write(fds[1 - i].fd, buffer, static_cast<size_t>(n)) != n) done = true;
      }
      if (done || stop_) break;
    }
    std::lock_guard lock(mutex_);
    std::erase(open_, a);
    std::erase(open_, b);
    ::close(a);
    ::close(b);
  }

  std::string path_, upstream_;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> open_;
  std::vector<std::thread> pumps_;
};

// The engine socket the tests use (DOCKER_HOST, else the default).
std::string engine_socket() {
  const char* host = std::getenv("DOCKER_HOST");
  std::string value = host && *host ? host : "unix:///var/run/docker.sock";
  return value.starts_with("unix://") ? value.substr(7) : std::string();
}

}  // namespace

TEST_CASE("logs -f ends with an error when the engine connection is cut", "[e2e][streams][logs][faults]") {
  const auto upstream = engine_socket();
  if (upstream.empty()) {
    WARN("DOCKER_HOST is not a unix socket: the proxy cannot stand in front of it");
    return;
  }
  Stack stack("logscut", "services:\n  tick:\n    image: " + std::string(busybox_image()) +
                             "\n    command: [\"sh\", \"-c\", \"echo started; exec sleep 3600\"]\n"
                             "    stop_grace_period: 1s\n");
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  CuttingProxy proxy((stack.dir() / "engine.sock").string(), upstream);

  auto argv = stack.argv({"logs", "-f", "--no-color"});
  argv.insert(argv.begin(), {"/usr/bin/env", "DOCKER_HOST=unix://" + (stack.dir() / "engine.sock").string(),
                             "/usr/bin/timeout", "30"});
  BackgroundRun follow(argv, stack.dir() / "follow");
  bool started = false;
  for (int i = 0; i < 200 && !started; ++i) {
    started = contains(follow.out(), "tick-1  | started\n");
    if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(started);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the event watch is connected too
  proxy.cut();
  const int code = follow.wait();
  INFO(follow.err());
  CHECK(code == 1);  // not 124: no hang
  CHECK(contains(follow.err(), "berth: "));
  CHECK(contains(follow.err(), "closed the connection"));
  CHECK(follow.out() == "tick-1  | started\n");
}
