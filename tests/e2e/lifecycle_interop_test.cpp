#include <catch2/catch.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

bool have_docker_compose_v1() { return run_command({"sh", "-c", "command -v docker-compose"}).exit_code == 0; }

}  // namespace

TEST_CASE("docker-compose sees and tears down a berth stack, and berth a docker-compose one",
          "[e2e][lifecycle][interop]") {
  if (!have_docker_compose_v1()) {
    WARN("docker-compose is not installed: interop not checked");
    return;
  }
  Stack stack("interop", sleeping_services(2, "    init: true\n"));
  auto compose = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"docker-compose", "-f", stack.file(), "-p", stack.project()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  };

  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto ps = compose({"ps"});
  INFO(ps.err);
  CHECK(contains(ps.out, stack.container("s0")));
  CHECK(contains(ps.out, stack.container("s1")));
  auto down = compose({"down"});
  INFO(down.err);
  CHECK(down.exit_code == 0);
  CHECK(stack.containers().empty());
  CHECK(stack.networks().empty());

  REQUIRE(compose({"up", "-d"}).exit_code == 0);
  auto berth_ps = stack.berth({"ps", "--services"});
  CHECK(berth_ps.out == "s0\ns1\n");
  auto berth_down = stack.berth({"down", "-t", "1"});
  INFO(berth_down.err);
  CHECK(berth_down.exit_code == 0);
  CHECK(stack.containers().empty());
  CHECK(stack.networks().empty());
}

TEST_CASE("berth up -d converges a stack docker-compose made", "[e2e][lifecycle][interop]") {
  if (!have_docker_compose_v1()) {
    WARN("docker-compose is not installed: interop not checked");
    return;
  }
  Stack stack("interop-up", sleeping_services(2, "    init: true\n"));
  auto compose = run_command({"docker-compose", "-f", stack.file(), "-p", stack.project(), "up", "-d"});
  INFO(compose.err);
  REQUIRE(compose.exit_code == 0);
  const std::string network = stack.project() + "_default";
  const std::string network_id = stack.engine().inspect_network(network).value("Id", "");
  // docker-compose 1.x makes its networks attachable, unasked: not a divergence.
  CHECK(stack.engine().inspect_network(network).value("Attachable", false));

  auto up = stack.berth({"up", "-d", "-t", "1"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(contains(up.err, "Recreated"));
  CHECK(stack.states() == std::map<std::string, std::string>{{stack.container("s0"), "running"},
                                                             {stack.container("s1"), "running"}});
  CHECK(stack.engine().inspect_network(network).value("Id", "") == network_id);

  auto before = stack.ids_by_service();
  auto again = stack.berth({"up", "-d"});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(stack.ids_by_service() == before);
}
