#include <catch2/catch.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

std::string with_volumes(const std::string& external) {
  return std::string("services:\n  app:\n    image: ") + busybox_image() +
         "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
         "    volumes: [\"data:/data\", \"ext:/ext\", \"/anon\"]\n"
         "volumes:\n  data: {}\n  ext:\n    external: true\n    name: " +
         external + "\n";
}

std::string read_in(Stack& stack, const std::string& path) {
  auto r = run_command({"docker", "exec", stack.container("app"), "cat", path});
  return r.exit_code == 0 ? r.out : "<missing: " + r.err + ">";
}

}  // namespace

TEST_CASE("named volume data survives everything but down -v, external volumes survive that too",
          "[e2e][lifecycle][down]") {
  const std::string external = unique_name("ext");
  REQUIRE(run_command({"docker", "volume", "create", external}).exit_code == 0);
  struct RemoveExternal {
    std::string name;
    ~RemoveExternal() { run_command({"docker", "volume", "rm", "-f", name}); }
  } remove_external{external};

  Stack stack("volumes", with_volumes(external));
  const std::string data = stack.project() + "_data";
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  REQUIRE(run_command({"docker", "exec", stack.container("app"), "sh", "-c",
                       "echo kept > /data/f && echo ext > /ext/f"})
              .exit_code == 0);

  struct Step {
    std::vector<std::string> args;
  };
  const Step steps[] = {
      {{"up", "-d", "--force-recreate", "-t", "1"}},
      {{"stop", "-t", "1"}},
      {{"start"}},
      {{"down", "-t", "1"}},
      {{"up", "-d"}},
  };
  for (const auto& step : steps) {
    CAPTURE(step.args);
    auto r = stack.berth(step.args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(stack.volume_exists(data));
    if (step.args[0] == "down") {
      CHECK(stack.containers().empty());
      CHECK(stack.networks().empty());
    } else if (step.args[0] != "stop") {
      CHECK(read_in(stack, "/data/f") == "kept\n");
    }
  }

  auto down = stack.berth({"down", "-v", "-t", "1"});
  INFO(down.err);
  REQUIRE(down.exit_code == 0);
  CHECK(!stack.volume_exists(data));
  CHECK(stack.volumes().empty());
  CHECK(stack.volume_exists(external));
  CHECK(stack.containers().empty());
}

TEST_CASE("down removes containers in reverse order, orphans only with --remove-orphans", "[e2e][lifecycle][down]") {
  Stack stack("down", sleeping_services(2));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  stack.write(sleeping_services(1));
  auto down = stack.berth({"down", "-t", "1"});
  INFO(down.err);
  REQUIRE(down.exit_code == 0);
  CHECK(stack.states().count(stack.container("s1")) == 1);  // an orphan: kept
  auto orphans = stack.berth({"down", "-t", "1", "--remove-orphans"});
  INFO(orphans.err);
  REQUIRE(orphans.exit_code == 0);
  CHECK(stack.containers().empty());
  CHECK(stack.networks().empty());
}

TEST_CASE("down --rmi local keeps images that have a tag of their own", "[e2e][lifecycle][down]") {
  Stack stack("rmi", sleeping_services(1));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto r = stack.berth({"down", "-t", "1", "--rmi", "local"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(run_command({"docker", "image", "inspect", busybox_image()}).exit_code == 0);
  auto bad = stack.berth({"down", "--rmi", "some"});
  CHECK(bad.exit_code != 0);
}
