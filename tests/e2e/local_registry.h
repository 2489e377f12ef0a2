#pragma once
// A real registry for the image end-to-end tests: Debian's docker-registry
// (installed by scripts/setup.sh) serving 127.0.0.1:<free port> from a
// temporary directory, stopped and deleted when the object goes. dockerd
// treats 127.0.0.0/8 registries as insecure (plain HTTP) by default, so
// "127.0.0.1:PORT/name:tag" works without TLS or daemon configuration.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "e2e_support.h"

extern char** environ;

namespace berth::e2e {

class LocalRegistry {
 public:
  static constexpr const char* kBinary = "/usr/bin/docker-registry";

  // `htpasswd`: "user:<bcrypt hash>" lines; the registry then wants those
  // credentials (basic auth) for every request.
  explicit LocalRegistry(const std::string& htpasswd = "")
      : dir_(std::filesystem::temp_directory_path() / unique_name("registry")) {
    if (!std::filesystem::exists(kBinary))
      throw std::runtime_error(std::string(kBinary) + " is missing: run scripts/setup.sh (package docker-registry)");
    port_ = free_port();
    host_ = "127.0.0.1:" + std::to_string(port_);
    std::filesystem::create_directories(dir_ / "data");
    std::ofstream(dir_ / "config.yml") << "version: 0.1\n"
                                          "log:\n  level: warn\n"
                                          "storage:\n  filesystem:\n    rootdirectory: "
                                       << (dir_ / "data").string()
                                       << "\n  delete:\n    enabled: true\n"
                                          "http:\n  addr: "
                                       << host_ << "\n";
    if (!htpasswd.empty()) {
      std::ofstream(dir_ / "htpasswd") << htpasswd << "\n";
      std::ofstream(dir_ / "config.yml", std::ios::app)
          << "auth:\n  htpasswd:\n    realm: berth-test\n    path: " << (dir_ / "htpasswd").string() << "\n";
    }
    start();
  }
  ~LocalRegistry() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  LocalRegistry(const LocalRegistry&) = delete;
  LocalRegistry& operator=(const LocalRegistry&) = delete;

  // "127.0.0.1:PORT"
  const std::string& host() const { return host_; }
  // A port nothing listens on, for "registry is down" cases.
  static int closed_port() { return free_port(); }

 private:
  static int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("cannot find a free port");
    int port = ntohs(address.sin_port);
    ::close(fd);
    return port;
  }

  bool answers() const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port_));
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
  }

  void start() {
    const std::string log = (dir_ / "registry.log").string();
    const std::string config = (dir_ / "config.yml").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const char* argv[] = {kBinary, "serve", config.c_str(), nullptr};
    int rc = posix_spawn(&pid_, kBinary, &actions, nullptr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error(std::string("cannot start ") + kBinary);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!answers()) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        std::ifstream in(log);
        std::stringstream text;
        text << in.rdbuf();
        throw std::runtime_error("docker-registry exited at start: " + text.str());
      }
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("docker-registry does not answer on " + host_);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  std::filesystem::path dir_;
  int port_ = 0;
  std::string host_;
  pid_t pid_ = -1;
};

}  // namespace berth::e2e
