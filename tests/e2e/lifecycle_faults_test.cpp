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

TEST_CASE("Ctrl-C during up -d stops dispatching, the next up converges", "[e2e][lifecycle][faults]") {
  for (int sig : {SIGINT, SIGTERM}) {
    CAPTURE(sig);
    Stack stack("sigint", sleeping_services(20));
    {
      // One action at a time: 41 engine calls, the 20 starts alone take far
      // longer than the 400 ms (creates are quick on an idle engine: count
      // what runs, not what exists).
      BackgroundRun run(stack.argv({"--parallel", "1", "up", "-d"}), stack.dir() / "first");
      std::this_thread::sleep_for(400ms);
      run.signal(sig);
      int code = run.wait();
      INFO(run.err());
      CHECK(code == 130);
      CHECK(contains(run.err(), "interrupted"));
      size_t running = 0;
      for (const auto& c : stack.containers()) running += c.state == "running";
      CHECK(running < 20);
    }
    auto again = stack.berth({"up", "-d"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    check_converged(stack, 20);
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

namespace {

// db and cache on "back", api on both networks after them, web on "front"
// after api: creates with extra networks to connect and dependencies to wait for.
std::string two_network_stack(const std::string& api_env) {
  std::string yaml = "services:\n";
  auto service = [&](const std::string& name, const std::string& networks, const std::string& extra) {
    yaml += "  " + name + ":\n    image: " + busybox_image() +
            "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n    networks: " + networks + "\n" + extra;
  };
  service("db", "[back]", "");
  service("cache", "[back]", "");
  service("api", "[back, front]", "    depends_on: [db, cache]\n    environment:\n      VERSION: \"" + api_env + "\"\n");
  service("web", "[front, back]", "    depends_on: [api]\n");
  return yaml + "networks:\n  front: {}\n  back: {}\n";
}

std::string lock_container(Stack& stack) { return stack.project() + "_berth-lock"; }

bool lock_exists(Stack& stack) {
  return !stack.engine()
              .list_containers({.all = true, .filters = {{"name", {"^/" + lock_container(stack) + "$"}}}})
              .empty();
}

}  // namespace

TEST_CASE("concurrent up -d runs of a two-network stack all succeed and converge like one run",
          "[e2e][lifecycle][faults][concurrent]") {
  Stack stack("concurrent-rounds", two_network_stack("1"));
  const std::map<std::string, std::vector<std::string>> networks_of = {
      {"db", {"back"}}, {"cache", {"back"}}, {"api", {"back", "front"}}, {"web", {"back", "front"}}};
  std::map<std::string, std::vector<std::string>> previous;
  // From nothing; after a change that recreates api; with nothing to do.
  const std::vector<std::string> versions = {"1", "2", "2"};
  for (size_t round = 0; round < versions.size(); ++round) {
    const std::string& version = versions[round];
    CAPTURE(round);
    stack.write(two_network_stack(version));
    std::vector<std::unique_ptr<BackgroundRun>> runs;
    for (int i = 0; i < 5; ++i)
      runs.push_back(std::make_unique<BackgroundRun>(stack.argv({"up", "-d", "-t", "1"}),
                                                     stack.dir() / ("v" + version + "-" + std::to_string(i))));
    for (auto& run : runs) {
      int code = run->wait();
      INFO(run->err());
      CHECK(code == 0);
    }
    auto containers = stack.containers();
    REQUIRE(containers.size() == 4);
    std::map<std::string, std::string> network_ids;
    for (const std::string name : {"front", "back"}) {
      const std::string full = stack.project() + "_" + name;
      std::vector<std::string> ids;
      for (const auto& n : stack.engine().list_networks({{"name", {full}}}))
        if (n.name == full) ids.push_back(n.id);
      REQUIRE(ids.size() == 1);
      network_ids[name] = ids.front();
    }
    for (const auto& c : containers) {
      const std::string service = c.labels.at(berth::model::labels::kService);
      CAPTURE(service);
      CHECK(c.names.front() == "/" + stack.container(service));
      CHECK(c.state == "running");
      auto inspect = stack.engine().inspect_container(c.id);
      auto attached = inspect["NetworkSettings"]["Networks"];
      CHECK(attached.size() == networks_of.at(service).size());
      for (const auto& n : networks_of.at(service))
        CHECK(attached[stack.project() + "_" + n].value("NetworkID", "") == network_ids[n]);
      if (service == "api") {
        auto env = inspect["Config"]["Env"];
        CHECK(std::find(env.begin(), env.end(), "VERSION=" + version) != env.end());
      }
    }
    CHECK_FALSE(lock_exists(stack));
    auto ids = stack.ids_by_service();
    if (round == 1) {
      // api's environment changed: api was recreated (once), web and the others kept.
      CHECK(previous.at("api") != ids.at("api"));
      CHECK(previous.at("db") == ids.at("db"));
      CHECK(previous.at("cache") == ids.at("cache"));
      CHECK(previous.at("web") == ids.at("web"));
    }
    if (round == 2) CHECK(previous == ids);  // nothing to do: every container kept
    previous = ids;
  }
  // Converged: one more run changes nothing.
  auto before = stack.ids_by_service();
  auto again = stack.berth({"up", "-d"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(stack.ids_by_service() == before);
}

TEST_CASE("an up killed while it holds the project lock blocks neither the next up nor down",
          "[e2e][lifecycle][faults][concurrent]") {
  Stack stack("lock-killed", sleeping_services(12));
  auto kill_while_locked = [&](const std::string& tag) {
    // One action at a time: the lock is held for the whole run.
    BackgroundRun run(stack.argv({"--parallel", "1", "up", "-d"}), stack.dir() / tag);
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!lock_exists(stack) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
    REQUIRE(lock_exists(stack));
    std::this_thread::sleep_for(200ms);
    run.signal(SIGKILL);
    CHECK(run.wait() == 128 + SIGKILL);
    // The engine still finishes the call the killed run had in flight.
    std::this_thread::sleep_for(500ms);
    REQUIRE(lock_exists(stack));  // left behind by the killed run
  };

  kill_while_locked("first");
  auto start = std::chrono::steady_clock::now();
  auto again = stack.berth({"up", "-d"});
  INFO("up after the kill: " << again.err);
  REQUIRE(again.exit_code == 0);
  // Taken over at once (the holder's process is gone), not after the 2 min for unknown holders.
  CHECK(std::chrono::steady_clock::now() - start < 60s);
  CHECK_FALSE(contains(again.err, "waiting for another berth run"));
  check_converged(stack, 12);
  CHECK_FALSE(lock_exists(stack));

  REQUIRE(stack.berth({"down", "-t", "0"}).exit_code == 0);
  kill_while_locked("second");
  auto down = stack.berth({"down", "-t", "0"});
  INFO("down: " << down.err);
  CHECK(down.exit_code == 0);
  CHECK_FALSE(lock_exists(stack));
  CHECK(stack.containers().empty());
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
