// berth-build-session: serves a BuildKit build session's gRPC services
// (secrets, SSH agent forwarding, registry credentials, health) on fd 3, the
// HTTP/2 connection berth got from the engine's POST /session, for as long as
// its stdin stays open. The first line of stdin is the session's content as
// JSON: {"secrets": {id: {"file": path} | {"value": text}}, "ssh": {id: socket}}.
//
// A program of its own so that gRPC, protobuf and OpenSSL (what gRPC links)
// are loaded only by builds that use BuildKit: linked into berth, their
// static initialisation doubled the start-up time of every command.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/server_posix.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "berth/engine/registry_auth.h"
#include "berth/util/error.h"
#include "buildkit_auth.grpc.pb.h"
#include "buildkit_secrets.grpc.pb.h"
#include "buildkit_ssh.grpc.pb.h"

namespace berth::build_session {
namespace {

namespace secrets_v1 = moby::buildkit::secrets::v1;
namespace ssh_v1 = moby::sshforward::v1;
namespace auth_v1 = moby::filesync::v1;

struct Secret {
  std::string file;
  std::string value;
};

// BuildKit limits a secret to 500 KB; a larger one is refused by name
// before the engine sees a byte of it.
constexpr std::size_t kMaxSecretBytes = 500 * 1024;

// A value is never part of a message: only the id and where it comes from.
class SecretsService final : public secrets_v1::Secrets::Service {
 public:
  explicit SecretsService(std::map<std::string, Secret> secrets) : secrets_(std::move(secrets)) {}

  grpc::Status GetSecret(grpc::ServerContext*, const secrets_v1::GetSecretRequest* request,
                         secrets_v1::GetSecretResponse* response) override {
    auto it = secrets_.find(request->id());
    if (it == secrets_.end()) return {grpc::StatusCode::NOT_FOUND, "not found"};
    const Secret& secret = it->second;
    std::string value;
    if (!secret.file.empty()) {
      std::ifstream in(secret.file, std::ios::binary);
      if (!in) return {grpc::StatusCode::NOT_FOUND, "secret file " + secret.file + " cannot be read"};
      std::ostringstream text;
      text << in.rdbuf();
      value = std::move(text).str();
    } else {
      value = secret.value;
    }
    if (value.size() > kMaxSecretBytes)
      return {grpc::StatusCode::INVALID_ARGUMENT, "secret " + request->id() + " is larger than 500 KB"};
    response->set_data(std::move(value));
    return grpc::Status::OK;
  }

 private:
  std::map<std::string, Secret> secrets_;
};

int connect_unix(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) {
    ::close(fd);
    return -1;
  }
  std::copy(path.begin(), path.end(), address.sun_path);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// The agent protocol's bytes, passed through to the agent's socket.
class SshService final : public ssh_v1::SSH::Service {
 public:
  explicit SshService(std::map<std::string, std::string> sockets) : sockets_(std::move(sockets)) {}

  grpc::Status CheckAgent(grpc::ServerContext*, const ssh_v1::CheckAgentRequest* request,
                          ssh_v1::CheckAgentResponse*) override {
    const std::string id = request->id().empty() ? "default" : request->id();
    if (!sockets_.count(id)) return {grpc::StatusCode::NOT_FOUND, "unset ssh forward key " + id};
    return grpc::Status::OK;
  }

  grpc::Status ForwardAgent(grpc::ServerContext* context,
                            grpc::ServerReaderWriter<ssh_v1::BytesMessage, ssh_v1::BytesMessage>* stream) override {
    std::string id = "default";
    const auto& metadata = context->client_metadata();
    if (auto it = metadata.find("buildkit.ssh.id"); it != metadata.end() && it->second.size() > 0)
      id.assign(it->second.data(), it->second.size());
    auto socket = sockets_.find(id);
    if (socket == sockets_.end()) return {grpc::StatusCode::NOT_FOUND, "unset ssh forward key " + id};
    int fd = connect_unix(socket->second);
    if (fd < 0) return {grpc::StatusCode::UNAVAILABLE, "cannot connect to the SSH agent of id " + id};
    std::thread from_agent([fd, stream] {
      char buffer[32 * 1024];
      for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        ssh_v1::BytesMessage message;
        message.set_data(buffer, static_cast<std::size_t>(n));
        if (!stream->Write(message)) break;
      }
    });
    ssh_v1::BytesMessage message;
    while (stream->Read(&message))
      if (!write_all(fd, message.data().data(), message.data().size())) break;
    ::shutdown(fd, SHUT_WR);  // the build's side ended: the agent answers what it has, then closes
    from_agent.join();
    ::close(fd);
    return grpc::Status::OK;
  }

 private:
  std::map<std::string, std::string> sockets_;  // id -> agent socket
};

// Registry credentials from the docker config berth reads for pulls.
class AuthService final : public auth_v1::Auth::Service {
 public:
  grpc::Status Credentials(grpc::ServerContext*, const auth_v1::CredentialsRequest* request,
                           auth_v1::CredentialsResponse* response) override {
    std::string host = request->host();
    if (host == "registry-1.docker.io" || host == "index.docker.io") host = "docker.io";
    try {
      auto config = engine::DockerConfig::load();
      if (const auto* credentials = config.credentials_for_host(host)) {
        if (!credentials->identity_token.empty()) {
          response->set_secret(credentials->identity_token);
        } else {
          response->set_username(credentials->username);
          response->set_secret(credentials->password);
        }
      }
    } catch (const Error&) {
      // An unreadable config: anonymous, as without one.
    }
    return grpc::Status::OK;
  }
};

}  // namespace
}  // namespace berth::build_session

int main() {
  using namespace berth::build_session;
  std::string line;
  if (!std::getline(std::cin, line)) return 2;
  auto config = nlohmann::json::parse(line, nullptr, false);
  if (!config.is_object()) return 2;
  const nlohmann::json secret_config = config.value("secrets", nlohmann::json::object());
  const nlohmann::json ssh_config = config.value("ssh", nlohmann::json::object());
  std::map<std::string, Secret> secrets;
  for (const auto& [id, s] : secret_config.items())
    if (s.is_object()) secrets[id] = Secret{s.value("file", ""), s.value("value", "")};
  std::map<std::string, std::string> sockets;
  for (const auto& [id, socket] : ssh_config.items())
    if (socket.is_string()) sockets[id] = socket.get<std::string>();
  line.assign(line.size(), '\0');  // the secrets' values live in the service only

  SecretsService secrets_service(std::move(secrets));
  SshService ssh_service(std::move(sockets));
  AuthService auth_service;
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.RegisterService(&secrets_service);
  builder.RegisterService(&ssh_service);
  builder.RegisterService(&auth_service);
  auto server = builder.BuildAndStart();
  if (!server) return 1;
  ::fcntl(3, F_SETFL, ::fcntl(3, F_GETFL) | O_NONBLOCK);
  grpc::AddInsecureChannelFromFd(server.get(), 3);  // gRPC owns fd 3 from here
  // berth closes our stdin when the build is over.
  char ignored[256];
  while (std::cin.read(ignored, sizeof ignored) || std::cin.gcount() > 0) {
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  server->Wait();
  return 0;
}
