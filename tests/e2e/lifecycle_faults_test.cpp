#include <catch2/catch.hpp>
#include <regex>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
using namespace std::chrono_literals;

namespace {

// Exactly one container per service, each named {project}-{service}-1: no
// duplicates, no temporary {id}_{name} leftovers.
void check_converged(Stack& stack, int services) {
  auto containers = stack.containers();
  CHECK(containers.size() == static_cast<size_t>(services));
  for (const auto& c : containers) {
    std::string name = c.names.empty() ? c.id : c.names.front().substr(1);
    CAPTURE(name);
    CHECK(std::regex_match(name, std::regex(stack.project() + "-s[0-9]+-1")));
    CHECK(c.state == "running");
  }
}

}  // namespace

TEST_CASE("Ctrl-C during up -d stops dispatching; the next up converges", "[e2e][lifecycle][faults]") {
  for (int sig : {SIGINT, SIGTERM}) {
    CAPTURE(sig);
    Stack stack("sigint", sleeping_services(12));
    {
      // One action at a time: 25 engine calls take far longer than the 400 ms.
      BackgroundRun run(stack.argv({"--parallel", "1", "up", "-d"}), stack.dir() / "first");
      std::this_thread::sleep_for(400ms);
      run.signal(sig);
      int code = run.wait();
      INFO(run.err());
      CHECK(code == 130);
      CHECK(contains(run.err(), "interrupted"));
      CHECK(stack.containers().size() < 12);
    }
    auto again = stack.berth({"up", "-d"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    check_converged(stack, 12);
  }
}

TEST_CASE("two concurrent up -d of one project make no duplicates", "[e2e][lifecycle][faults]") {
  Stack stack("concurrent", sleeping_services(6));
  BackgroundRun a(stack.argv({"up", "-d"}), stack.dir() / "a");
  BackgroundRun b(stack.argv({"up", "-d"}), stack.dir() / "b");
  int code_a = a.wait(), code_b = b.wait();
  INFO(a.err());
  INFO(b.err());
  CHECK(code_a == 0);
  CHECK(code_b == 0);
  check_converged(stack, 6);
  auto again = stack.berth({"up", "-d"});
  CHECK(again.exit_code == 0);
  check_converged(stack, 6);
}

TEST_CASE("four concurrent up -d make one network and attach every container to it", "[e2e][lifecycle][faults]") {
  Stack stack("concurrent-net", sleeping_services(4));
  std::vector<std::unique_ptr<BackgroundRun>> runs;
  for (int i = 0; i < 4; ++i)
    runs.push_back(std::make_unique<BackgroundRun>(stack.argv({"up", "-d"}), stack.dir() / ("run" + std::to_string(i))));
  for (auto& run : runs) {
    int code = run->wait();
    INFO(run->err());
    CHECK(code == 0);
  }
  const std::string network = stack.project() + "_default";
  std::vector<std::string> ids;
  for (const auto& n : stack.engine().list_networks({{"name", {network}}}))
    if (n.name == network) ids.push_back(n.id);
  REQUIRE(ids.size() == 1);
  check_converged(stack, 4);
  for (const auto& c : stack.containers()) {
    auto inspect = stack.engine().inspect_container(c.id);
    CAPTURE(c.names);
    CHECK(inspect["NetworkSettings"]["Networks"][network].value("NetworkID", "") == ids.front());
  }
  // No lock container is left behind.
  CHECK(stack.engine().list_containers({.all = true, .filters = {{"name", {network + "_berth-network-lock"}}}}).empty());
}

TEST_CASE("a health check that never passes keeps dependents from starting", "[e2e][lifecycle][faults]") {
  Stack stack("unhealthy", std::string("services:\n  db:\n    image: ") + busybox_image() +
                               "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
                               "    healthcheck:\n      test: [\"CMD-SHELL\", \"echo not-ready-yet; exit 1\"]\n"
                               "      interval: 1s\n      timeout: 1s\n      retries: 2\n"
                               "  web:\n    image: " +
                               busybox_image() +
                               "\n    command: [\"sleep\", \"3600\"]\n"
                               "    depends_on:\n      db: {condition: service_healthy}\n");
  auto r = stack.berth({"up", "-d"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "db"));
  CHECK(contains(r.err, "not-ready-yet"));
  CHECK(stack.states()[stack.container("web")] != "running");
}

TEST_CASE("a failing container command is reported with its service and exit code", "[e2e][lifecycle][faults]") {
  Stack stack("failing", std::string("services:\n  migrate:\n    image: ") + busybox_image() +
                             "\n    command: [\"sh\", \"-c\", \"exit 3\"]\n"
                             "  web:\n    image: " +
                             busybox_image() +
                             "\n    command: [\"sleep\", \"3600\"]\n"
                             "    depends_on:\n      migrate: {condition: service_completed_successfully}\n");
  auto r = stack.berth({"up", "-d"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "migrate"));
  CHECK(contains(r.err, "3"));
  CHECK(stack.states()[stack.container("web")] != "running");
}

TEST_CASE("an engine that cannot be reached is a clear error", "[e2e][lifecycle][faults]") {
  Stack stack("noengine", sleeping_services(1));
  auto r = stack.berth({"up", "-d"}, {"DOCKER_HOST=unix:///nonexistent/docker.sock"});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "berth:"));
  CHECK(contains(r.err, "/nonexistent/docker.sock"));
}

TEST_CASE("progress formats on stderr", "[e2e][lifecycle][progress]") {
  Stack stack("progress", sleeping_services(1));
  auto run = [&](const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {BERTH_BINARY, "-f", stack.file(), "-p", stack.project()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, "", env);
  };
  auto json = run({"--progress", "json", "up", "-d"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.empty());
  CHECK(contains(json.err, "{\"id\":\"Container " + stack.container("s0") + "\""));

  auto quiet = run({"--progress", "quiet", "stop", "-t", "1"});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());

  auto from_env = run({"start"}, {"COMPOSE_PROGRESS=json"});
  CHECK(contains(from_env.err, "{\"id\":\"Container " + stack.container("s0") + "\""));

  // Not a terminal: auto means plain.
  auto automatic = run({"restart", "-t", "1"});
  CHECK(contains(automatic.err, " Container " + stack.container("s0") + "  "));
  CHECK(!contains(automatic.err, "\033["));
}

TEST_CASE("on a terminal, auto progress is the live view", "[e2e][lifecycle][progress]") {
  if (run_command({"sh", "-c", "command -v script"}).exit_code != 0) {
    WARN("script(1) is not installed: tty view not checked");
    return;
  }
  Stack stack("tty", sleeping_services(2));
  std::string command;
  for (const auto& a : stack.argv({"up", "-d"})) command += (a == "plain" ? "auto" : a) + " ";
  // script(1) gives berth a pseudo terminal; the view goes to it, stdout of script.
  auto r = run_command({"script", "-qec", command, "/dev/null"}, "", {"COLUMNS=100"});
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "[+] Running 3/3"));  // the network and two containers
  CHECK(contains(r.out, "\033[2K"));
  CHECK(contains(r.out, "\033[?25h"));  // the cursor comes back
  CHECK(contains(r.out, "✔"));
}
