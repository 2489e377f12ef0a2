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
    reported = reported || (f["id"] == "privileged" && f["line"] == 6 && f["cis"] == "5.5" &&
                            f["cis_title"] == "Ensure that privileged containers are not used");
  CHECK(reported);
  CHECK(stack.berth({"audit", "--fail-on", "high"}, {}).exit_code == 1);
  CHECK(stack.berth({"audit"}).exit_code == 0);
}

TEST_CASE("audit --format sarif is valid SARIF 2.1.0, one finding per port entry", "[e2e][policy][audit]") {
  Stack stack("policy-sarif", sleeper("    ports: [\"70-8000:70-8000\"]\n    privileged: true\n"
                                      "    x-berth: {allow: [privileged]}\n"));
  auto sarif = stack.berth({"--security", "compat", "audit", "--format", "sarif"});
  INFO(sarif.err);
  REQUIRE(sarif.exit_code == 0);
  // The schema and the validator come from the npm registry (scripts/setup.sh).
  const std::string tools = "/var/cache/berth/sarif/node_modules";
  auto valid = run_command({"node", std::string(BERTH_SOURCE_DIR) + "/tests/tools/validate_json.js",
                            tools + "/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"},
                           sarif.out, {"NODE_PATH=" + tools});
  INFO(valid.err);
  CHECK(valid.exit_code == 0);

  json log = json::parse(sarif.out);
  int ports = 0;
  for (const auto& result : log["runs"][0]["results"]) ports += result["ruleId"] == "ports-all-interfaces";
  CHECK(ports == 1);  // 7,931 ports, one entry
  bool described = false;
  for (const auto& rule : log["runs"][0]["tool"]["driver"]["rules"])
    described = described || (rule["id"] == "privileged" &&
                              rule["fullDescription"]["text"] ==
                                  "CIS Docker Benchmark v1.6.0 5.5: Ensure that privileged containers are not used");
  CHECK(described);
}

TEST_CASE("a named volume that binds a host system directory is refused like a bind", "[e2e][policy]") {
  const std::string volume = "volumes:\n  conf:\n    driver_opts: {type: none, o: bind, device: /etc}\n";
  Stack stack("policy-volbind", sleeper("    volumes: [\"conf:/conf\"]\n") + volume);
  auto refused = stack.berth({"up", "-d"});
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "mounts the sensitive host path /etc through volume conf writable"));
  CHECK(contains(refused.err, "x-berth: {allow: [sensitive_mount]}"));
  CHECK(stack.containers().empty());
  CHECK(stack.engine().list_volumes({{"name", {stack.project() + "_conf"}}}).empty());
}

TEST_CASE("audit --target swarm keeps open what a swarm service cannot carry", "[e2e][policy][audit]") {
  Stack stack("policy-swarm-audit", sleeper("    ports: [\"8080:80\"]\n    cap_add: [NET_ADMIN]\n"));
  auto engine_audit = stack.berth({"audit", "--format", "json"});
  auto swarm_audit = stack.berth({"audit", "--format", "json", "--target", "swarm"});
  REQUIRE(engine_audit.exit_code == 0);
  REQUIRE(swarm_audit.exit_code == 0);
  auto status = [](const std::string& json_text, const std::string& id) {
    const auto doc = nlohmann::json::parse(json_text);
    for (const auto& f : doc["findings"])
      if (f.value("id", "") == id) return f.value("mitigated", false) ? std::string("mitigated") : std::string("open");
    return std::string("absent");
  };
  CHECK(status(engine_audit.out, "ports-all-interfaces") == "mitigated");
  CHECK(status(swarm_audit.out, "ports-all-interfaces") == "open");
  CHECK(status(engine_audit.out, "no-new-privileges") == "mitigated");
  CHECK(status(swarm_audit.out, "no-new-privileges") == "open");
  CHECK(contains(swarm_audit.out, "a swarm service cannot carry that setting"));
  // cap_drop, which a service spec has, stays mitigated.
  CHECK(status(swarm_audit.out, "caps-not-dropped") == status(engine_audit.out, "caps-not-dropped"));
}
