// BuildKit builds against the real engine (POST /build?version=2 with a
// build session): cache mounts, build secrets from files and environment
// variables that never reach a layer or the output, SSH agent forwarding,
// progress modes, and the errors a user meets first.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "berth/util/error.h"
#include "berth/util/strings.h"
#include "lifecycle_fixture.h"

using namespace berth;
using berth::e2e::contains;
using berth::e2e::run_command;
using berth::e2e::Stack;

namespace {

// Images made here carry the label berth.e2e=<project> and go with the stack.
class BuildKitStack : public Stack {
 public:
  BuildKitStack(const std::string& hint) : Stack(hint, "services: {}\n") {}
  ~BuildKitStack() {
    try {
      e2e::run_berth({"-p", project(), "down", "-v", "-t", "0", "--remove-orphans"});
      force_cleanup();
      run_command({"/bin/sh", "-c", "docker images -q --filter label=berth.e2e=" + project() +
                                        " | sort -u | xargs -r docker rmi -f"});
    } catch (...) {
    }
  }
  void put(const std::filesystem::path& rel, const std::string& content) const {
    auto path = dir() / rel;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::trunc) << content;
  }
  std::string from(const std::string& image = e2e::busybox_image()) const {
    return "FROM " + image + "\nLABEL berth.e2e=" + project() + "\n";
  }
  // `docker run --rm IMAGE cat FILE`
  std::string read(const std::string& image, const std::string& file) const {
    auto r = run_command({"docker", "run", "--rm", "--network", "none", image, "cat", file});
    return r.out;
  }
  std::string image() const { return project() + "-app"; }
};

std::string app_service(const std::string& extra = "") {
  return "services:\n  app:\n    build:\n      context: .\n      network: none\n" + extra;
}

}  // namespace

TEST_CASE("buildkit: a cache mount survives between two builds", "[e2e][images][build][buildkit]") {
  BuildKitStack stack("bk-cache");
  const std::string id = stack.project();
  stack.write(app_service("      args: {ROUND: \"${ROUND}\"}\n"));
  stack.put("Dockerfile", stack.from() + "ARG ROUND\nRUN --mount=type=cache,id=" + id +
                              ",target=/cache sh -c 'cat /cache/stamp > /seen 2>/dev/null; echo round-$ROUND > "
                              "/cache/stamp'\n");
  auto first = stack.berth({"build"}, {"ROUND=1"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(stack.read(stack.image(), "/seen").empty());
  auto second = stack.berth({"build"}, {"ROUND=2"});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(stack.read(stack.image(), "/seen") == "round-1\n");
  run_command({"docker", "builder", "prune", "-f", "--filter", "id=" + id});
}

TEST_CASE("buildkit: build secrets from a file and a variable are readable in RUN and in no layer",
          "[e2e][images][build][buildkit]") {
  BuildKitStack stack("bk-secrets");
  const std::string file_value = "file-secret-" + e2e::unique_name("v");
  const std::string env_value = "env-secret-" + e2e::unique_name("v");
  stack.put("token.txt", file_value);
  stack.write(app_service("      secrets:\n        - source: from_file\n        - source: from_env\n"
                          "          target: env_token\n") +
              "secrets:\n  from_file:\n    file: ./token.txt\n  from_env:\n    environment: BERTH_TEST_TOKEN\n");
  // A secret's value is not part of BuildKit's cache key: the step names the
  // project so that no earlier test run's cached result stands in for it.
  stack.put("Dockerfile", stack.from() +
                              "RUN --mount=type=secret,id=from_file --mount=type=secret,id=env_token "
                              "sh -c 'cat /run/secrets/from_file; echo; cat /run/secrets/env_token' | sha256sum > /sums"
                              " # " + stack.project() + "\n");
  auto r = stack.berth({"build"}, {"BERTH_TEST_TOKEN=" + env_value});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto expected = run_command({"sha256sum"}, file_value + "\n" + env_value);
  CHECK(stack.read(stack.image(), "/sums") == expected.out);
  // Never in the output, an image layer or the history.
  CHECK(!contains(r.err + r.out, file_value));
  CHECK(!contains(r.err + r.out, env_value));
  auto saved = run_command({"docker", "save", stack.image()});  // layers as uncompressed tars
  CHECK(saved.out.size() > 1000);
  CHECK(!contains(saved.out, file_value));
  CHECK(!contains(saved.out, env_value));
  auto history = run_command({"docker", "history", "--no-trunc", stack.image()});
  CHECK(!contains(history.out, file_value));
  CHECK(!contains(history.out, env_value));

  // A secret that cannot be read fails before anything is sent, naming it.
  std::filesystem::remove(stack.dir() / "token.txt");
  auto missing = stack.berth({"build"}, {"BERTH_TEST_TOKEN=" + env_value});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.err, "build secret \"from_file\": file " + (stack.dir() / "token.txt").string() +
                                  " does not exist"));
  CHECK(!contains(missing.err, "Building"));
  stack.put("token.txt", file_value);
  auto unset = stack.berth({"build"});
  CHECK(unset.exit_code == 1);
  CHECK(contains(unset.err, "environment variable BERTH_TEST_TOKEN is not set"));
}

TEST_CASE("buildkit: RUN --mount=type=ssh reaches the agent and key files", "[e2e][images][build][buildkit]") {
  BuildKitStack stack("bk-ssh");
  const auto key = stack.dir() / "id_test";
  REQUIRE(run_command({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "berth-test-key", "-f", key.string()})
              .exit_code == 0);
  // Lists the agent's keys by their comment, over the agent protocol.
  const std::string list_keys =
      "import os,socket,struct\n"
      "s=socket.socket(socket.AF_UNIX); s.connect(os.environ['SSH_AUTH_SOCK'])\n"
      "s.sendall(struct.pack('>IB',1,11))\n"
      "n=struct.unpack('>I',s.recv(4))[0]; d=b''\n"
      "while len(d)<n: d+=s.recv(n-len(d))\n"
      "o=5; bl=struct.unpack('>I',d[o:o+4])[0]; o+=4+bl; cl=struct.unpack('>I',d[o:o+4])[0]\n"
      "print(struct.unpack('>I',d[1:5])[0], d[o+4:o+4+cl].decode())\n";
  stack.put("list_keys.py", list_keys);
  stack.put("Dockerfile", stack.from("berth-local/python:3.11") +
                              "COPY list_keys.py /\nRUN --mount=type=ssh,id=deploy python3 /list_keys.py > /keys\n");
  stack.write(app_service("      ssh: [\"deploy=" + key.string() + "\"]\n"));
  auto from_key = stack.berth({"build"});
  INFO(from_key.err);
  REQUIRE(from_key.exit_code == 0);
  CHECK(stack.read(stack.image(), "/keys") == "1 berth-test-key\n");

  // `default`: the agent of SSH_AUTH_SOCK.
  const auto socket = stack.dir() / "agent.sock";
  e2e::BackgroundRun agent({"/usr/bin/ssh-agent", "-D", "-a", socket.string()}, stack.dir() / "agent");
  for (int i = 0; i < 50 && !std::filesystem::exists(socket); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(run_command({"ssh-add", "-q", key.string()}, "", {"SSH_AUTH_SOCK=" + socket.string()}).exit_code == 0);
  stack.put("Dockerfile", stack.from("berth-local/python:3.11") +
                              "COPY list_keys.py /\nRUN --mount=type=ssh python3 /list_keys.py > /agent-keys\n");
  stack.write(app_service());
  auto from_agent = stack.berth({"build", "--ssh", "default", "app"}, {"SSH_AUTH_SOCK=" + socket.string()});
  INFO(from_agent.err);
  REQUIRE(from_agent.exit_code == 0);
  CHECK(stack.read(stack.image(), "/agent-keys") == "1 berth-test-key\n");
  agent.signal(SIGTERM);
}

TEST_CASE("buildkit: progress modes, a multi-stage target, and the classic builder on request",
          "[e2e][images][build][buildkit]") {
  BuildKitStack stack("bk-modes");
  stack.write(app_service("      target: first\n"));
  // The first stage is named by its FROM line.
  stack.put("Dockerfile", "FROM " + std::string(e2e::busybox_image()) + " AS first\nLABEL berth.e2e=" + stack.project() +
                              "\nRUN --mount=type=cache,target=/c echo first-stage-output > /stage\n"
                              "FROM first AS second\nRUN false\n");
  auto plain = stack.berth({"build"});
  INFO(plain.err);
  REQUIRE(plain.exit_code == 0);
  CHECK(contains(plain.err, "#1 [internal] load remote build context"));
  CHECK(contains(plain.err, "first-stage-output"));
  CHECK(contains(plain.err, " DONE "));
  CHECK(stack.read(stack.image(), "/stage") == "first-stage-output\n");

  auto cached = stack.berth({"build"});
  CHECK(contains(cached.err, " CACHED"));
  auto quiet = stack.berth({"build", "-q"});
  CHECK(quiet.exit_code == 0);
  CHECK(!contains(quiet.err, "#1 "));
  auto json = run_command({BERTH_BINARY, "-f", stack.file(), "-p", stack.project(), "--progress", "json", "build", "--no-cache"});
  INFO(json.err);
  CHECK(json.exit_code == 0);
  for (const auto& line : berth::split(json.err, "\n"))
    if (!line.empty()) CHECK(nlohmann::json::parse(line, nullptr, false).is_object());
  CHECK(contains(json.err, "first-stage-output"));
  // One object per step event, nested under the service being built.
  CHECK(contains(json.err, "{\"id\":\"#1 [internal] load remote build context\",\"text\":\"Running\",\"state\":"
                           "\"working\",\"parent_id\":\"Service app\"}"));
  CHECK(contains(json.err, "\"text\":\"Done "));

  // The classic builder cannot mount a cache: DOCKER_BUILDKIT=0 still picks it.
  auto classic = stack.berth({"build"}, {"DOCKER_BUILDKIT=0"});
  CHECK(classic.exit_code == 1);
  CHECK(contains(classic.err, "--mount"));
  stack.write(app_service("      target: first\n    x-berth: {builder: classic}\n"));
  CHECK(contains(stack.berth({"build"}).err, "--mount"));
  stack.write(app_service("      target: first\n    x-berth: {builder: fast}\n"));
  CHECK(contains(stack.berth({"build"}).err, "x-berth.builder must be classic or buildkit"));
}

TEST_CASE("buildkit: a frontend image that cannot be pulled is an error naming it", "[e2e][images][build][buildkit]") {
  BuildKitStack stack("bk-frontend");
  stack.write(app_service());
  stack.put("Dockerfile", "# syntax=berth-e2e.invalid/no/such-frontend:1\n" + stack.from() + "RUN true\n");
  auto argv = stack.argv({"build"});
  argv.insert(argv.begin(), {"/usr/bin/timeout", "120"});
  auto r = run_command(argv);
  INFO(r.err);
  CHECK(r.exit_code == 1);  // not 124: no hang
  CHECK(contains(r.err, "berth-e2e.invalid/no/such-frontend:1"));
}
