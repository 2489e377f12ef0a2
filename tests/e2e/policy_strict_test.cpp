#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
using nlohmann::json;

TEST_CASE("strict: a non-root service runs read-only, a root one is refused", "[e2e][policy]") {
  std::string service = std::string("services:\n  app:\n    image: ") + busybox_image() +
                        "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n";
  Stack stack("policy-strict", service + "    user: \"1000:1000\"\n");
  auto up = stack.berth({"--security", "strict", "up", "-d"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  json host = stack.engine().inspect_container(stack.container("app"))["HostConfig"];
  CHECK(host["ReadonlyRootfs"] == true);
  CHECK(host["CapDrop"] == json::array({"ALL"}));
  CHECK((host["CapAdd"].is_null() || host["CapAdd"].empty()));
  CHECK(host["Tmpfs"].contains("/tmp"));
  CHECK(host["Tmpfs"].contains("/run"));

  stack.write(service);
  auto refused = stack.berth({"up", "-d"}, {"BERTH_SECURITY=strict"});
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "non-root user"));
  CHECK(contains(refused.err, "allow: [root]"));
}
