#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
using nlohmann::json;

namespace {

std::string sleeper(const std::string& extra) {
  return std::string("services:\n  app:\n    image: ") + busybox_image() +
         "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" + extra;
}

}  // namespace

TEST_CASE("standard policy: the engine shows what it set", "[e2e][policy]") {
  Stack stack("policy-std", sleeper("    ports: [\"8080\"]\n"));
  auto up = stack.berth({"up", "-d"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  json inspect = stack.engine().inspect_container(stack.container("app"));
  const json& host = inspect["HostConfig"];
  CHECK(host["CapDrop"] == json::array({"ALL"}));
  CHECK(host["CapAdd"] == json::array({"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "KILL"}));
  CHECK(host["SecurityOpt"] == json::array({"no-new-privileges:true"}));
  CHECK(host["PortBindings"]["8080/tcp"][0]["HostIp"] == "127.0.0.1");
  CHECK(host["PidsLimit"] == 2048);
  CHECK(host["Init"] == true);
  std::string label = inspect["Config"]["Labels"].value("dev.berth.policy", "");
  CHECK(label.starts_with("standard: "));

  auto config = stack.berth({"config", "--format", "json"});
  REQUIRE(config.exit_code == 0);
  CHECK(json::parse(config.out)["services"]["app"]["pids_limit"] == 2048);
}

TEST_CASE("privileged is refused under standard, runs when allowed, and audit reports it", "[e2e][policy]") {
  Stack stack("policy-priv", sleeper("    privileged: true\n"));
  auto refused = stack.berth({"up", "-d"});
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "service \"app\""));
  CHECK(contains(refused.err, "compose.yaml:6"));
  CHECK(contains(refused.err, "x-berth: {allow: [privileged]}"));
  CHECK(stack.containers().empty());

  stack.write(sleeper("    privileged: true\n    x-berth: {allow: [privileged]}\n"));
  // `create`, not `up`: some hosts (this CI sandbox among them) cannot start
  // any privileged container ("runc: unable to apply caps"), whatever the tool.
  auto allowed = stack.berth({"create"});
  INFO(allowed.err);
  REQUIRE(allowed.exit_code == 0);
  CHECK(stack.engine().inspect_container(stack.container("app"))["HostConfig"]["Privileged"] == true);

  auto audit = stack.berth({"audit", "--format", "json", "--fail-on", "high"});
  CHECK(audit.exit_code == 1);
  bool reported = false;
  json report = json::parse(audit.out);
  for (const auto& f : report["findings"])
    reported = reported || (f["id"] == "privileged" && f["service"] == "app" && f["mitigated"] == false);
  CHECK(reported);
}

TEST_CASE("audit reports an allowed privileged service and fails on high", "[e2e][policy]") {
  Stack stack("policy-audit", sleeper("    privileged: true\n    x-berth: {allow: [privileged]}\n"));
  auto audit = stack.berth({"audit", "--format", "json", "--fail-on", "high"});
  INFO(audit.err);
  CHECK(audit.exit_code == 1);
  bool reported = false;
  json report = json::parse(audit.out);
  for (const auto& f : report["findings"])
    reported = reported || (f["id"] == "privileged" && f["line"] == 6 && f["cis"] == "5.4");
  CHECK(reported);
  CHECK(stack.berth({"audit", "--fail-on", "high"}, {}).exit_code == 1);
  CHECK(stack.berth({"audit"}).exit_code == 0);
}
