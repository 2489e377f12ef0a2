// End-to-end: exec, run, top, port, events, attach against the real engine.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

std::string exec_services() {
  const std::string image = busybox_image();
  return "services:\n"
         "  app:\n    image: " + image + "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
         "    user: root\n    ports: [\"127.0.0.1::80\"]\n"
         "  idle:\n    image: " + image + "\n    command: [\"true\"]\n";
}

}  // namespace

TEST_CASE("exec runs commands in a service container with stdin and exit codes", "[e2e][streams][exec]") {
  Stack stack("exec", exec_services());
  REQUIRE(stack.berth({"up", "-d", "app", "idle"}).exit_code == 0);
  REQUIRE(stack.berth({"wait", "idle"}).exit_code == 0);

  struct Case {
    std::vector<std::string> args;
    std::string input;
    int exit_code;
    std::string out;
    std::string err_contains;
  };
  const std::vector<Case> cases = {
      {{"exec", "-T", "app", "cat"}, "x\ny\n", 0, "x\ny\n", ""},
      {{"exec", "-T", "app", "sh", "-c", "exit 3"}, "", 3, "", ""},
      {{"exec", "-T", "app", "sh", "-c", "echo out; echo err >&2"}, "", 0, "out\n", "err\n"},
      {{"exec", "-T", "-e", "GREETING=hi there", "-w", "/tmp", "-u", "nobody", "app", "sh", "-c",
        "echo \"$GREETING\" $(pwd) $(id -un)"},
       "", 0, "hi there /tmp nobody\n", ""},
      {{"exec", "-T", "--index", "1", "app", "echo", "one"}, "", 0, "one\n", ""},
      {{"exec", "-T", "--index", "2", "app", "echo", "two"}, "", 1, "", "no container with index 2"},
      {{"exec", "-T", "idle", "echo"}, "", 1, "", "is not running"},
      {{"exec", "-T", "nosuch", "echo"}, "", 1, "", "no such service"},
      {{"exec", "-d", "app", "sh", "-c", "echo detached > /tmp/marker"}, "", 0, "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    auto full = stack.argv(c.args);
    auto r = run_command(full, c.input);
    INFO(r.err);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.out == c.out);
    CHECK(contains(r.err, c.err_contains));
  }
  // The detached command ran.
  std::string marker;
  for (int i = 0; i < 20 && marker.empty(); ++i) {
    marker = stack.berth({"exec", "-T", "app", "cat", "/tmp/marker"}).out;
    if (marker.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(marker == "detached\n");
}

TEST_CASE("run creates a one-off container and propagates its exit code", "[e2e][streams][run]") {
  const std::string image = busybox_image();
  Stack stack("run", "services:\n"
                     "  dep:\n    image: " + image + "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
                     "  job:\n    image: " + image + "\n    command: [\"echo\", \"default\"]\n"
                     "    depends_on: [dep]\n    environment: {FROM_FILE: yes}\n");
  SECTION("--rm, exit code, dependencies started, no regular container") {
    auto r = stack.berth({"run", "--rm", "-T", "job", "sh", "-c", "echo $FROM_FILE; exit 7"});
    INFO(r.err);
    CHECK(r.exit_code == 7);
    CHECK(r.out == "yes\n");
    auto states = stack.states();
    CHECK(states[stack.container("dep")] == "running");
    CHECK(states.count(stack.container("job")) == 0);
    for (const auto& c : stack.containers()) CHECK(c.labels.at("com.docker.compose.service") == "dep");
  }
  SECTION("stdin, overrides, the one-off label, kept without --rm") {
    auto full = stack.argv({"run", "-T", "--no-deps", "-e", "A=1", "-l", "team=qa", "--name",
                            stack.project() + "-custom", "job", "sh", "-c", "cat; echo $A"});
    auto r = run_command(full, "piped\n");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "piped\n1\n");
    CHECK(stack.states().count(stack.container("dep")) == 0);  // --no-deps
    auto json = stack.engine().inspect_container(stack.project() + "-custom");
    CHECK(json["Config"]["Labels"]["com.docker.compose.oneoff"] == "True");
    CHECK(json["Config"]["Labels"]["team"] == "qa");
  }
  SECTION("--entrypoint, the default command, -d prints the name") {
    auto r = stack.berth({"run", "--rm", "-T", "--no-deps", "job"});
    CHECK(r.out == "default\n");
    r = stack.berth({"run", "--rm", "-T", "--no-deps", "--entrypoint", "echo", "job", "via", "entrypoint"});
    CHECK(r.out == "via entrypoint\n");
    r = stack.berth({"run", "-d", "--no-deps", "job", "sleep", "30"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.starts_with(stack.project() + "-job-run-"));
  }
}

TEST_CASE("top, port and events read the project's containers", "[e2e][streams][top][port][events]") {
  Stack stack("topport", exec_services());
  REQUIRE(stack.berth({"up", "-d", "app"}).exit_code == 0);

  auto top = stack.berth({"top"});
  INFO(top.err);
  CHECK(top.exit_code == 0);
  CHECK(top.out.starts_with(stack.container("app") + "\nUID"));
  CHECK(contains(top.out, "sleep 3600"));

  auto port = stack.berth({"port", "app", "80"});
  INFO(port.err);
  CHECK(port.exit_code == 0);
  CHECK(port.out.starts_with("127.0.0.1:"));
  CHECK(stack.berth({"port", "app", "81"}).exit_code == 1);
  CHECK(stack.berth({"port", "--protocol", "udp", "app", "80"}).exit_code == 1);
  CHECK(stack.berth({"port", "--index", "2", "app", "80"}).exit_code == 1);

  auto argv = stack.argv({"events", "--json"});
  argv.insert(argv.begin(), {"/usr/bin/timeout", "4"});
  BackgroundRun events(argv, stack.dir() / "events");
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  REQUIRE(stack.berth({"restart", "-t", "0", "app"}).exit_code == 0);
  events.wait();
  auto first_line = events.out().substr(0, events.out().find('\n'));
  INFO(events.out());
  auto json = nlohmann::json::parse(first_line);
  CHECK(json["type"] == "container");
  CHECK(json["service"] == "app");
  CHECK(contains(events.out(), "\"action\":\"start\""));
}

TEST_CASE("attach streams a running container's output and returns its exit code", "[e2e][streams][attach]") {
  Stack stack("attach", "services:\n  talk:\n    image: " + std::string(busybox_image()) +
                            "\n    command: [\"sh\", \"-c\", \"sleep 2; echo attached; echo oops >&2; exit 4\"]\n");
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto r = stack.berth({"attach", "--no-stdin", "talk"});
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK(r.out == "attached\n");
  CHECK(contains(r.err, "oops\n"));
  CHECK(stack.berth({"attach", "talk"}).exit_code == 1);  // no longer running
}

TEST_CASE("run flags reach the one-off container", "[e2e][streams][run]") {
  const std::string image = busybox_image();
  Stack stack("runflags", "services:\n  job:\n    image: " + image +
                              "\n    command: [\"true\"]\n    ports: [\"127.0.0.1::80\"]\n");
  std::filesystem::create_directories(stack.dir() / "data");
  std::ofstream(stack.dir() / "data" / "f.txt") << "from host\n";
  struct Case {
    std::vector<std::string> args;
    std::string out;
  };
  const std::vector<Case> cases = {
      {{"-u", "nobody", "-w", "/tmp", "job", "sh", "-c", "echo $(id -un) $(pwd)"}, "nobody /tmp\n"},
      {{"-v", "./data:/data:ro", "job", "cat", "/data/f.txt"}, "from host\n"},
      {{"--cap-add", "NET_ADMIN", "job", "sh", "-c", "grep -q '^CapEff:.*[1-9a-f]' /proc/self/status && echo caps"},
       "caps\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    std::vector<std::string> args = {"run", "--rm", "-T"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = stack.berth(args);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == c.out);
  }
  // Service ports only with -P; -p publishes what it names.
  auto ports_of = [&](const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"run", "-d"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"job", "sleep", "30"});
    auto r = stack.berth(args);
    INFO(r.err);
    auto name = r.out.substr(0, r.out.find('\n'));
    auto json = stack.engine().inspect_container(name);
    return json["HostConfig"]["PortBindings"].is_object() ? json["HostConfig"]["PortBindings"].dump() : "";
  };
  CHECK(ports_of({}).find("80/tcp") == std::string::npos);
  CHECK(ports_of({"-P"}).find("80/tcp") != std::string::npos);
  CHECK(ports_of({"-p", "127.0.0.1::81"}).find("81/tcp") != std::string::npos);
}
