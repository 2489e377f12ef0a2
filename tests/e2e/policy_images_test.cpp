// The policy against images built like common official ones: under
// standard they all start, serve and stop on SIGTERM well within their grace
// period; under strict the non-root ones run read-only and the root ones are
// refused. The images are built here from the local busybox image and
// removed at the end.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct ImageRecipe {
  const char* service;
  const char* like;  // the official image it imitates
  int port;          // where it serves inside the container
  bool root;         // starts as root (strict refuses it)
  const char* dockerfile;
  std::vector<std::pair<std::string, std::string>> files;  // name -> content, in the build context
};

const std::vector<ImageRecipe>& recipes() {
  static const std::vector<ImageRecipe> list{
      // postgres/redis: the entrypoint runs as root, prepares the data
      // directory, then drops to the unprivileged user for the server.
      {"datastore", "postgres", 5432, true,
       "FROM berth-local/busybox:latest\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
       {{"entrypoint.sh",
         "#!/bin/sh\nset -e\nmkdir -p /data\necho datastore > /data/index.html\nchown -R app:app /data\n"
         "exec su -s /bin/sh app -c 'exec httpd -f -p 5432 -h /data'\n"}}},
      // nginx: binds port 80 as root, the workers run unprivileged.
      {"proxy", "nginx", 80, true,
       "FROM berth-local/busybox:latest\nCOPY index.html /www/index.html\n"
       "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-u\", \"app:app\", \"-h\", \"/www\"]\n",
       {{"index.html", "proxy\n"}}},
      // A well-built Python app: a non-root USER from the start.
      {"webapp", "python app", 8000, false,
       "FROM berth-local/busybox:latest\nCOPY index.html /www/index.html\nUSER app\n"
       "CMD [\"httpd\", \"-f\", \"-p\", \"8000\", \"-h\", \"/www\"]\n",
       {{"index.html", "webapp\n"}}},
      // An image whose entrypoint already is an init (tini), non-root.
      {"initapp", "tini-based image", 8080, false,
       "FROM berth-local/busybox:latest\nCOPY tini /usr/bin/tini\nCOPY index.html /www/index.html\nUSER app\n"
       "ENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n",
       {{"index.html", "initapp\n"}}},
  };
  return list;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Builds the four images once per test case, tagged uniquely; removes them after.
class Images {
 public:
  Images() : prefix_(unique_name("img")) {
    fs::path root = fs::temp_directory_path() / (prefix_ + "-contexts");
    for (const auto& recipe : recipes()) {
      fs::path context = root / recipe.service;
      fs::create_directories(context);
      std::ofstream(context / "Dockerfile") << recipe.dockerfile;
      // COPY keeps the mode: no RUN step (that needs the engine's default bridge).
      for (const auto& [name, content] : recipe.files) {
        std::ofstream(context / name) << content;
        fs::permissions(context / name, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                            fs::perms::others_read | fs::perms::others_exec);
      }
      if (std::string(recipe.service) == "initapp") {
        // The engine's own init is tini (docker-init); ship it as the image's entrypoint.
        fs::path tini = fs::canonical("/usr/bin/docker-init");
        std::ofstream(context / "tini", std::ios::binary) << slurp(tini);
        fs::permissions(context / "tini", fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
      }
      std::string tag = tag_of(recipe.service);
      auto built = run_command({"docker", "build", "-q", "-t", tag, context.string()});
      if (built.exit_code != 0) {
        fs::remove_all(root);
        FAIL("docker build " << recipe.service << ": " << built.err);
      }
      tags_.push_back(tag);
    }
    fs::remove_all(root);
  }
  ~Images() {
    for (const auto& tag : tags_) run_command({"docker", "rmi", "-f", tag});
  }
  std::string tag_of(const std::string& service) const { return prefix_ + "-" + service + ":test"; }

  // A compose file with the given services, each publishing its port
  // without a host IP (the policy decides where).
  std::string compose(const std::vector<std::string>& services) const {
    std::string yaml = "services:\n";
    for (const auto& name : services) {
      for (const auto& r : recipes()) {
        if (name != r.service) continue;
        yaml += "  " + name + ":\n    image: " + tag_of(name) + "\n    stop_grace_period: 20s\n" +
                "    ports: [\"" + std::to_string(r.port) + "\"]\n";
      }
    }
    return yaml;
  }

 private:
  std::string prefix_;
  std::vector<std::string> tags_;
};

const ImageRecipe& recipe(const std::string& service) {
  for (const auto& r : recipes())
    if (service == r.service) return r;
  throw std::runtime_error("no recipe " + service);
}

// The body of GET / at host:port (HTTP/1.0, so the server closes when done);
// "" when nothing answers.
std::string http_get(const std::string& host, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    const std::string request = "GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n";
    if (::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  auto body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

// GET / on the loopback port the engine published; retried while the server starts.
std::string fetch(Stack& stack, const std::string& service) {
  std::string key = std::to_string(recipe(service).port) + "/tcp";
  for (int attempt = 0; attempt < 50; ++attempt) {
    json inspect = stack.engine().inspect_container(stack.container(service));
    const json& bindings = inspect["NetworkSettings"]["Ports"][key];
    if (bindings.is_array() && !bindings.empty()) {
      std::string body = http_get(bindings[0]["HostIp"].get<std::string>(),
                                  std::stoi(bindings[0]["HostPort"].get<std::string>()));
      if (!body.empty()) return body;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return "(no answer on the published port)";
}

}  // namespace

TEST_CASE("standard: images like postgres nginx a python app and a tini image start serve and stop gracefully",
          "[e2e][policy][images]") {
  Images images;
  const std::vector<std::string> services{"datastore", "proxy", "webapp", "initapp"};
  Stack stack("policy-images", images.compose(services));
  auto up = stack.berth({"up", "-d"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);

  for (const auto& service : services) {
    INFO(service << " (like " << recipe(service).like << ")");
    CHECK(fetch(stack, service) == service + "\n");
    json inspect = stack.engine().inspect_container(stack.container(service));
    INFO("policy label: " << inspect["Config"]["Labels"].value("dev.berth.policy", "")
                          << "; Init: " << inspect["HostConfig"]["Init"].dump()
                          << "; Entrypoint: " << inspect["Config"]["Entrypoint"].dump());
    const json& host = inspect["HostConfig"];
    CHECK(host["CapDrop"] == json::array({"ALL"}));
    if (recipe(service).root)
      CHECK(host["CapAdd"] == json::array({"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "KILL"}));
    else
      CHECK((host["CapAdd"].is_null() || host["CapAdd"].empty()));
    CHECK(host["SecurityOpt"] == json::array({"no-new-privileges:true"}));
    CHECK(host["PortBindings"][std::to_string(recipe(service).port) + "/tcp"][0]["HostIp"] == "127.0.0.1");
    CHECK(host["PidsLimit"] == 2048);
    // The engine's init, except where the entrypoint already is one.
    if (service == "initapp") CHECK((host["Init"].is_null() || host["Init"] == false));
    else CHECK(host["Init"] == true);
  }
  // The servers really dropped root: their httpd runs as app (uid 1000,
  // whatever name the host gives it), only the init above them is root.
  for (const std::string service : {"datastore", "proxy"}) {
    auto top = stack.berth({"top", service});
    INFO(top.out);
    bool server_seen = false;
    std::istringstream lines(top.out);
    for (std::string line; std::getline(lines, line);) {
      if (!contains(line, "httpd") || contains(line, "init")) continue;  // the init's own line names its child
      server_seen = true;
      CHECK_FALSE(line.starts_with("root"));
    }
    CHECK(server_seen);
  }

  auto started = std::chrono::steady_clock::now();
  auto stop = stack.berth({"stop"});
  auto took = std::chrono::steady_clock::now() - started;
  INFO(stop.err);
  REQUIRE(stop.exit_code == 0);
  CHECK(took < std::chrono::seconds(10));  // the grace period is 20s: nobody waited for a kill
  for (const auto& service : services) {
    INFO(service);
    json state = stack.engine().inspect_container(stack.container(service))["State"];
    CHECK(state["Running"] == false);
    CHECK(state["ExitCode"] == 143);  // 128 + SIGTERM, passed on by the init; a kill would be 137
  }
}

TEST_CASE("strict: the non-root images run read-only and the root ones are refused", "[e2e][policy][images]") {
  Images images;
  Stack non_root("policy-images-strict", images.compose({"webapp", "initapp"}));
  auto up = non_root.berth({"--security", "strict", "up", "-d"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  for (const std::string service : {"webapp", "initapp"}) {
    INFO(service);
    CHECK(fetch(non_root, service) == service + "\n");
    json host = non_root.engine().inspect_container(non_root.container(service))["HostConfig"];
    CHECK(host["ReadonlyRootfs"] == true);
    CHECK((host["CapAdd"].is_null() || host["CapAdd"].empty()));
    CHECK(host["Tmpfs"].contains("/tmp"));
  }

  Stack root("policy-images-root", images.compose({"datastore", "proxy"}));
  auto refused = root.berth({"up", "-d"}, {"BERTH_SECURITY=strict"});
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "2 settings are refused"));
  CHECK(contains(refused.err, "service \"datastore\""));
  CHECK(contains(refused.err, "service \"proxy\""));
  CHECK(contains(refused.err, "requires a non-root user"));
  CHECK(contains(refused.err, "allow: [root]"));
  CHECK(root.containers().empty());
}
