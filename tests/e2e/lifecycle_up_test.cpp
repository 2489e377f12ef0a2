#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

std::string web_and_db(const std::string& web_env) {
  return std::string("services:\n") +
         "  db:\n    image: " + busybox_image() + "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" +
         "  web:\n    image: " + busybox_image() + "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" +
         "    depends_on: [db]\n    environment:\n      MODE: " + web_env + "\n";
}

}  // namespace

TEST_CASE("up -d creates and starts every service, a second up changes nothing", "[e2e][lifecycle][up]") {
  Stack stack("up-noop", web_and_db("one"));
  auto first = stack.berth({"up", "-d"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(contains(first.err, "Container " + stack.container("web") + "  Started"));
  auto states = stack.states();
  CHECK(states[stack.container("web")] == "running");
  CHECK(states[stack.container("db")] == "running");
  CHECK(stack.networks() == std::set<std::string>{stack.project() + "_default"});
  auto before = stack.ids_by_service();

  auto second = stack.berth({"up", "-d"});
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(stack.ids_by_service() == before);
  CHECK(!contains(second.err, "Created"));
  CHECK(!contains(second.err, "Recreate"));
  CHECK((contains(second.err, "up to date") || contains(second.err, "Running")));
}

TEST_CASE("changing one service's environment recreates exactly that service", "[e2e][lifecycle][up]") {
  Stack stack("up-env", web_and_db("one"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto before = stack.ids_by_service();
  stack.write(web_and_db("two"));
  auto r = stack.berth({"up", "-d"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto after = stack.ids_by_service();
  CHECK(after.at("db") == before.at("db"));
  REQUIRE(after.at("web").size() == 1);
  CHECK(after.at("web") != before.at("web"));
  CHECK(stack.states()[stack.container("web")] == "running");
  // Recreation leaves no temporary container behind.
  CHECK(stack.containers().size() == 2);
}

TEST_CASE("up refuses what it cannot do with a clear message", "[e2e][lifecycle][up]") {
  Stack stack("up-usage", sleeping_services(1));
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"up", "-d", "--force-recreate", "--no-recreate"}, "incompatible"},
      {{"up", "-d", "--always-recreate-deps", "--no-recreate"}, "incompatible"},
      {{"up", "--wait", "--no-start"}, "incompatible"},
      {{"up", "-d", "--scale", "s0"}, "SERVICE=NUMBER"},
      {{"up", "-d", "--scale", "nope=2"}, "nope"},
      {{"up", "-d", "nope"}, "no such service: nope"},
      {{"--progress", "fancy", "up", "-d"}, "fancy"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    auto r = stack.berth(c.args);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, c.message));
    CHECK(stack.containers().empty());
  }
}

TEST_CASE("up flags: --no-start, --scale, services as arguments, --no-deps, --dry-run", "[e2e][lifecycle][up]") {
  Stack stack("up-flags", web_and_db("one"));

  SECTION("--dry-run changes nothing") {
    auto r = stack.berth({"--dry-run", "up", "-d"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, stack.container("web")));
    CHECK(stack.containers().empty());
    CHECK(stack.networks().empty());
  }
  SECTION("--no-start creates without starting") {
    REQUIRE(stack.berth({"up", "--no-start"}).exit_code == 0);
    auto states = stack.states();
    CHECK(states[stack.container("web")] == "created");
    CHECK(states[stack.container("db")] == "created");
  }
  SECTION("a service named on the command line brings its dependencies") {
    REQUIRE(stack.berth({"up", "-d", "web"}).exit_code == 0);
    CHECK(stack.states().size() == 2);
  }
  SECTION("--no-deps starts only the named service") {
    REQUIRE(stack.berth({"up", "-d", "--no-deps", "web"}).exit_code == 0);
    auto states = stack.states();
    CHECK(states.size() == 1);
    CHECK(states[stack.container("web")] == "running");
  }
  SECTION("--scale up and down") {
    REQUIRE(stack.berth({"up", "-d", "--scale", "web=3"}).exit_code == 0);
    CHECK(stack.ids_by_service()["web"].size() == 3);
    auto r = stack.berth({"up", "-d", "--scale", "web=1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto states = stack.states();
    CHECK(states.size() == 2);
    CHECK(states.count(stack.container("web", 1)) == 1);
  }
  SECTION("--force-recreate replaces every container, --no-recreate none") {
    REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
    auto before = stack.ids_by_service();
    stack.write(web_and_db("changed"));
    REQUIRE(stack.berth({"up", "-d", "--no-recreate"}).exit_code == 0);
    CHECK(stack.ids_by_service() == before);
    REQUIRE(stack.berth({"up", "-d", "--force-recreate", "-t", "1"}).exit_code == 0);
    auto after = stack.ids_by_service();
    CHECK(after.at("db") != before.at("db"));
    CHECK(after.at("web") != before.at("web"));
  }
  SECTION("--remove-orphans removes containers of services no longer in the file") {
    REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
    stack.write(sleeping_services(0) + "  db:\n    image: " + busybox_image() +
                "\n    command: [\"sleep\", \"3600\"]\n");
    auto kept = stack.berth({"up", "-d"});
    CHECK(kept.exit_code == 0);
    CHECK(stack.states().count(stack.container("web")) == 1);
    auto removed = stack.berth({"up", "-d", "--remove-orphans", "-t", "1"});
    INFO(removed.err);
    CHECK(removed.exit_code == 0);
    CHECK(stack.states().count(stack.container("web")) == 0);
  }
}

TEST_CASE("create makes containers, start starts them", "[e2e][lifecycle][up]") {
  Stack stack("create", sleeping_services(2));
  auto r = stack.berth({"create"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto& [name, state] : stack.states()) {
    CAPTURE(name);
    CHECK(state == "created");
  }
  REQUIRE(stack.berth({"start"}).exit_code == 0);
  for (const auto& [name, state] : stack.states()) {
    CAPTURE(name);
    CHECK(state == "running");
  }
}

TEST_CASE("up --wait returns once services are healthy", "[e2e][lifecycle][up]") {
  Stack stack("up-wait", std::string("services:\n  web:\n    image: ") + busybox_image() +
                             "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
                             "    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 1s\n"
                             "      start_period: 0s\n");
  auto r = stack.berth({"up", "-d", "--wait", "--wait-timeout", "30"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto c = stack.containers();
  REQUIRE(c.size() == 1);
  // The health as inspect has it: Podman's container list leaves it out of Status.
  CHECK(stack.engine().inspect_container(c[0].id)["State"]["Health"]["Status"] == "healthy");
}

TEST_CASE("anonymous volumes survive recreation unless -V", "[e2e][lifecycle][up]") {
  Stack stack("anon", sleeping_services(1, "    volumes: [\"/scratch\"]\n"));
  auto scratch = [&] {
    auto inspect = stack.engine().inspect_container(stack.container("s0"));
    for (const auto& m : inspect["Mounts"])
      if (m.value("Destination", "") == "/scratch") return m.value("Name", "");
    return std::string();
  };
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  const auto first = scratch();
  REQUIRE(!first.empty());
  REQUIRE(stack.berth({"up", "-d", "--force-recreate", "-t", "1"}).exit_code == 0);
  CHECK(scratch() == first);
  auto renewed = stack.berth({"up", "-d", "--force-recreate", "-V", "-t", "1"});
  INFO(renewed.err);
  REQUIRE(renewed.exit_code == 0);
  CHECK(scratch() != first);
  CHECK(!scratch().empty());
}

TEST_CASE("up --always-recreate-deps recreates the dependencies of the named services", "[e2e][lifecycle][up]") {
  Stack stack("deps", web_and_db("one"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto before = stack.ids_by_service();
  auto r = stack.berth({"up", "-d", "--always-recreate-deps", "-t", "1", "web"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto after = stack.ids_by_service();
  CHECK(after.at("db") != before.at("db"));
  CHECK(stack.states()[stack.container("web")] == "running");
}

TEST_CASE("a network whose config changed is recreated with its containers, an orphan on it is reconnected",
          "[e2e][lifecycle][up][network]") {
  // A subnet of its own (from the PID, so parallel test runs do not collide)
  // for s1's fixed address.
  const std::string prefix = "10.219." + std::to_string(getpid() % 250);
  const std::string ipam = "    ipam:\n      config:\n        - subnet: " + prefix + ".0/24\n";
  Stack stack("net-diverged", sleeping_services(1) + "  s1:\n    image: " + busybox_image() +
                                  "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
                                  "    networks:\n      default:\n        aliases: [legacy-name]\n"
                                  "        ipv4_address: " + prefix + ".9\n"
                                  "networks:\n  default:\n" + ipam);
  auto first = stack.berth({"up", "-d"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const std::string network = stack.project() + "_default";
  const std::string old_id = stack.engine().inspect_network(network).value("Id", "");
  auto before = stack.ids_by_service();

  // s1 leaves the model (an orphan still on the network); the network gets a label.
  stack.write(sleeping_services(1) + "networks:\n  default:\n" + ipam + "    labels:\n      tier: changed\n");
  auto up = stack.berth({"up", "-d", "-t", "1"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  auto inspect = stack.engine().inspect_network(network);
  CHECK(inspect.value("Id", "") != old_id);
  CHECK(inspect["Labels"].value("tier", "") == "changed");
  auto after = stack.ids_by_service();
  CHECK(after["s0"] != before["s0"]);  // recreated on the new network
  CHECK(after["s1"] == before["s1"]);  // the orphan is kept, reconnected
  for (const auto& service : {"s0", "s1"}) {
    auto c = stack.engine().inspect_container(stack.container(service));
    CAPTURE(service);
    CHECK(c["State"].value("Status", "") == "running");
    CHECK(c["NetworkSettings"]["Networks"][network].value("NetworkID", "") == inspect.value("Id", ""));
  }
  // The orphan came back with the aliases and the address it had.
  auto s1 = stack.engine().inspect_container(stack.container("s1"))["NetworkSettings"]["Networks"][network];
  CAPTURE(s1.dump());
  auto aliases = s1.value("Aliases", nlohmann::json::array());
  CHECK(std::find(aliases.begin(), aliases.end(), "legacy-name") != aliases.end());
  CHECK(std::find(aliases.begin(), aliases.end(), "s1") != aliases.end());
  CHECK(s1["IPAMConfig"].value("IPv4Address", "") == prefix + ".9");
  CHECK(s1.value("IPAddress", "") == prefix + ".9");
  // Converged: nothing more to do.
  auto again = stack.berth({"up", "-d"});
  CHECK(again.exit_code == 0);
  CHECK(stack.engine().inspect_network(network).value("Id", "") == inspect.value("Id", ""));
  CHECK(stack.ids_by_service() == after);
}

// Without a healthcheck, --wait is satisfied by "running" (as in docker
// compose), so a container exiting a moment later may not be seen; with
// one, it is waited for and its exit reported.
TEST_CASE("up --wait reports a container that exits right after starting", "[e2e][lifecycle][up]") {
  Stack stack("up-wait-exit", std::string("services:\n  job:\n    image: ") + busybox_image() +
                                  "\n    command: [\"sh\", \"-c\", \"sleep 0.2; exit 4\"]\n"
                                  "    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 5s\n");
  auto r = stack.berth({"up", "-d", "--wait", "--wait-timeout", "30"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "container " + stack.container("job") + " exited (4)"));
}
