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
  // `cut_after`: every connection is closed once the engine has sent it that
  // many bytes (a response cut at an arbitrary point).
  CuttingProxy(std::string path, std::string upstream, size_t cut_after = SIZE_MAX)
      : path_(std::move(path)), upstream_(std::move(upstream)), cut_after_(cut_after) {
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
    size_t from_engine = 0;
    bool done = cut_after_ == 0;
    while (!done) {
      if (::poll(fds, 2, 200) < 0 && errno != EINTR) break;
      for (int i = 0; i < 2 && !done; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n <= 0) {
          done = true;
          break;
        }
        size_t size = static_cast<size_t>(n);
        if (i == 1) {  // engine -> berth
          size = std::min(size, cut_after_ - from_engine);
          from_engine += size;
          done = from_engine >= cut_after_;
        }
        if (size > 0 && ::write(fds[1 - i].fd, buffer, size) != static_cast<ssize_t>(size)) done = true;
      }
      if (stop_) break;
    }
    std::lock_guard lock(mutex_);
    std::erase(open_, a);
    std::erase(open_, b);
    ::close(a);
    ::close(b);
  }

  std::string path_, upstream_;
  size_t cut_after_ = SIZE_MAX;
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

TEST_CASE("responses cut after N bytes, N swept: a clear error or success, never a crash or a hang, and up converges after",
          "[e2e][faults][cut]") {
  const auto upstream = engine_socket();
  if (upstream.empty()) {
    WARN("DOCKER_HOST is not a unix socket: the proxy cannot stand in front of it");
    return;
  }
  Stack stack("cutsweep", "services:\n  a:\n    image: " + std::string(busybox_image()) +
                              "\n    command: [\"sh\", \"-c\", \"echo hello from a; exec sleep 3600\"]\n"
                              "    stop_grace_period: 1s\n  b:\n    image: " + busybox_image() +
                              "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n    depends_on: [a]\n");
  const auto socket = (stack.dir() / "engine.sock").string();
  for (size_t cut : {0, 1, 17, 100, 160, 400, 700, 1500, 3000, 6000, 12000, 50000}) {
    CuttingProxy proxy(socket, upstream, cut);
    int round = 0;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"up", "-d"}, {"ps"}, {"logs"}, {"images"}, {"stop", "-t", "1"}, {"down", "-t", "1"}}) {
      auto argv = stack.argv(args);
      argv.insert(argv.begin(), {"/usr/bin/env", "DOCKER_HOST=unix://" + socket, "/usr/bin/timeout", "-s", "KILL", "60"});
      auto result = run_command(argv);
      INFO("cut after " << cut << " bytes; berth " << args[0] << " (" << ++round << ")");
      INFO(result.err.substr(0, 600));
      CHECK(result.exit_code < 124);  // 124/137: a hang; above 128: a crash
      if (cut < 20) CHECK(result.exit_code != 0);  // no engine response fits: the proxy does cut
      if (result.exit_code != 0) CHECK(contains(result.err, "berth: "));
      CHECK_FALSE(contains(result.err, "internal error"));
    }
    // Straight to the engine: the next up converges whatever was left.
    auto up = stack.berth({"up", "-d"});
    INFO("cut after " << cut << " bytes, then up without the proxy: " << up.err);
    REQUIRE(up.exit_code == 0);
    auto states = stack.states();
    CHECK(states == std::map<std::string, std::string>{{stack.container("a"), "running"}, {stack.container("b"), "running"}});
    CHECK(stack.networks() == std::set<std::string>{stack.project() + "_default"});
  }
}
