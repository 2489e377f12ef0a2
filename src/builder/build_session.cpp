#include "build_session.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "berth/engine/engine.h"
#include "berth/util/error.h"

extern char** environ;

namespace berth::builder {
namespace {

namespace fs = std::filesystem;

std::string random_id() {
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::string id;
  for (int i = 0; i < 25; ++i) id += alphabet[device() % (sizeof alphabet - 1)];
  return id;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
            posix_spawn_file_actions_t* actions) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], actions, nullptr, args.data(), envp.data());
  return rc == 0 ? pid : -1;
}

pid_t spawn_quiet(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = spawn(argv, extra_env, &actions);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// berth-build-session beside the berth binary (the build tree), else in
// ../libexec/berth/ (an installed berth).
std::string session_program() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate : {self.parent_path() / "berth-build-session",
                                      self.parent_path().parent_path() / "libexec" / "berth" / "berth-build-session"})
      if (fs::exists(candidate, ec)) return candidate.string();
  }
  throw Error(ErrorKind::Io, "berth-build-session, which serves BuildKit's build session, is not installed beside " +
                                 (ec ? std::string("berth") : self.string()) +
                                 " (or build with the classic builder: DOCKER_BUILDKIT=0)");
}

}  // namespace

// An ssh-agent of berth's own holding key files, for as long as the session
// lives. Outside the anonymous namespace because BuildSession::State holds
// KeyAgents (GCC warns about a member of internal linkage once this file is
// compiled inside a unity batch).
class KeyAgent {
 public:
  explicit KeyAgent(const std::vector<std::string>& key_files) {
    std::error_code ec;
    directory_ = fs::temp_directory_path(ec) / ("berth-ssh-" + random_id());
    fs::create_directories(directory_, ec);
    fs::permissions(directory_, fs::perms::owner_all, ec);
    socket_ = (directory_ / "agent.sock").string();
    pid_ = spawn_quiet({"ssh-agent", "-D", "-a", socket_}, {});
    if (pid_ < 0) throw Error(ErrorKind::Config, "build.ssh with key files needs ssh-agent (openssh-client)");
    for (int i = 0; i < 100 && !fs::exists(socket_, ec); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (const auto& key : key_files) {
      pid_t add = spawn_quiet({"ssh-add", "-q", key}, {"SSH_AUTH_SOCK=" + socket_, "SSH_ASKPASS=/bin/false",
                                                "SSH_ASKPASS_REQUIRE=never", "DISPLAY="});
      int status = 0;
      if (add < 0 || ::waitpid(add, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        stop();
        throw Error(ErrorKind::Config, "cannot load SSH key " + key + " (missing, unreadable, or it needs a passphrase)");
      }
    }
  }
  ~KeyAgent() { stop(); }
  const std::string& socket() const { return socket_; }

 private:
  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    std::error_code ec;
    fs::remove_all(directory_, ec);
  }

  fs::path directory_;
  std::string socket_;
  pid_t pid_ = -1;
};

struct BuildSession::State {
  std::string id;
  std::vector<std::unique_ptr<KeyAgent>> agents;
  std::unique_ptr<engine::DuplexStream> stream;
  pid_t server = -1;   // berth-build-session
  int control = -1;    // its stdin: closed when the session ends
  int bridge = -1;     // berth's end of the socket pair whose other end it serves
  std::thread to_server;
  std::thread to_engine;

  void stop() {
    if (control >= 0) ::close(control);  // the server shuts down
    control = -1;
    if (stream) stream->cancel();
    if (bridge >= 0) ::shutdown(bridge, SHUT_RDWR);
    if (to_server.joinable()) to_server.join();
    if (to_engine.joinable()) to_engine.join();
    if (bridge >= 0) ::close(bridge);
    bridge = -1;
    // The server shuts itself down once its stdin closes (gRPC's shutdown
    // takes a while): reaped on a thread of its own, so the build that is
    // over does not wait for it.
    if (server > 0) {
      std::thread([pid = server] {
        int status = 0;
        ::waitpid(pid, &status, 0);
      }).detach();
      server = -1;
    }
  }
};

BuildSession::BuildSession(engine::Engine& engine, SessionContent content, engine::CancelToken* cancel)
    : state_(std::make_unique<State>()) {
  state_->id = random_id();
  nlohmann::json config = {{"secrets", nlohmann::json::object()}, {"ssh", nlohmann::json::object()}};
  for (const auto& [id, secret] : content.secrets)
    config["secrets"][id] = secret.file.empty() ? nlohmann::json{{"value", secret.value}}
                                                : nlohmann::json{{"file", secret.file}};
  for (const auto& [id, ssh] : content.ssh) {
    if (!ssh.key_files.empty()) {
      state_->agents.push_back(std::make_unique<KeyAgent>(ssh.key_files));
      config["ssh"][id] = state_->agents.back()->socket();
      continue;
    }
    std::string socket = ssh.agent_socket;
    if (socket.empty()) {
      const char* from_env = std::getenv("SSH_AUTH_SOCK");
      if (!from_env || !*from_env)
        throw Error(ErrorKind::Config, "build.ssh \"" + id + "\" uses the SSH agent, but SSH_AUTH_SOCK is not set");
      socket = from_env;
    }
    config["ssh"][id] = socket;
  }
  const std::string program = session_program();

  engine::SessionRequest request;
  request.id = state_->id;
  request.name = content.name.empty() ? "berth" : content.name;
  request.shared_key = request.name;
  request.methods = {"/grpc.health.v1.Health/Check",
                     "/moby.buildkit.secrets.v1.Secrets/GetSecret",
                     "/moby.sshforward.v1.SSH/CheckAgent",
                     "/moby.sshforward.v1.SSH/ForwardAgent",
                     "/moby.filesync.v1.Auth/Credentials"};
  state_->stream = engine.open_session(request, cancel);

  // The upgraded connection's bytes (the engine's HTTP/2 preface may have
  // come with the 101) are pumped through a socket pair to the server, which
  // serves its end as the server side of HTTP/2.
  int pair[2], control[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    state_->stop();
    throw Error(ErrorKind::Io, "cannot create the build session's socket pair");
  }
  if (::pipe2(control, O_CLOEXEC) != 0) {
    ::close(pair[0]);
    ::close(pair[1]);
    state_->stop();
    throw Error(ErrorKind::Io, "cannot create the build session's control pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, control[0], 0);
  posix_spawn_file_actions_adddup2(&actions, pair[0], 3);
  state_->server = spawn({program}, {}, &actions);
  posix_spawn_file_actions_destroy(&actions);
  ::close(control[0]);
  ::close(pair[0]);
  state_->control = control[1];
  state_->bridge = pair[1];
  const std::string line = config.dump() + "\n";
  config = nullptr;
  if (state_->server < 0 || !write_all(state_->control, line.data(), line.size())) {
    state_->stop();
    throw Error(ErrorKind::Io, "cannot start " + program);
  }
  State* state = state_.get();
  state_->to_server = std::thread([state] {
    char buffer[64 * 1024];
    try {
      for (;;) {
        size_t n = state->stream->read_some(buffer, sizeof buffer);
        if (n == 0 || !write_all(state->bridge, buffer, n)) break;
      }
    } catch (const std::exception&) {
      // The engine closed the session, or stop() cancelled it.
    }
    ::shutdown(state->bridge, SHUT_WR);
  });
  state_->to_engine = std::thread([state] {
    char buffer[64 * 1024];
    try {
      for (;;) {
        ssize_t n = ::read(state->bridge, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        state->stream->write(std::string_view(buffer, static_cast<std::size_t>(n)));
      }
    } catch (const std::exception&) {
    }
  });
}

BuildSession::~BuildSession() {
  if (state_) state_->stop();
}

const std::string& BuildSession::id() const { return state_->id; }

}  // namespace berth::builder
