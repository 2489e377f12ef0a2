#include "berth/policy/audit.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "berth/model/project.h"
#include "berth/policy/findings_format.h"
#include "policy_test_util.h"

using nlohmann::json;
using berth::policy::Finding;
using berth::policy::Level;
using berth::policy::testing::load_text;

namespace {

berth::policy::ImageLookup image_with(const std::string& user, bool healthcheck) {
  return [user, healthcheck](const std::string&) {
    return std::optional<berth::policy::ImageFacts>(berth::policy::ImageFacts{user, {}, healthcheck});
  };
}

const Finding* find(const std::vector<Finding>& findings, const std::string& id) {
  for (const auto& f : findings)
    if (f.id == id) return &f;
  return nullptr;
}

// A service that passes every rule, for the negative cases.
const char* kClean = R"(    image: busybox
    user: "1000:1000"
    read_only: true
    security_opt: ["no-new-privileges:true"]
    cap_drop: [ALL]
    mem_limit: 64m
    cpus: 0.5
    pids_limit: 100
    restart: "on-failure:5"
    healthcheck: {test: ["CMD", "true"]}
)";

}  // namespace

TEST_CASE("a clean service has no findings", "[policy][audit]") {
  auto project = load_text(std::string("services:\n  app:\n") + kClean);
  auto findings = berth::policy::check(project, image_with("", false));
  for (const auto& f : findings) INFO(f.id << ": " << f.message);
  CHECK(findings.empty());
}

TEST_CASE("each audit rule fires on its snippet", "[policy][audit]") {
  struct Case {
    const char* snippet;  // replaces or adds to the clean service
    const char* id;
    const char* cis;
  };
  const Case cases[] = {
      // CIS Docker Benchmark v1.6.0 numbers (5.1 is "swarm mode is not enabled").
      {"privileged: true", "privileged", "5.5"},
      {"volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]", "docker-socket", "5.32"},
      {"volumes: [\"/etc:/etc2\"]", "sensitive-mount", "5.6"},
      {"volumes: [\"./d:/d:rshared\"]", "shared-propagation", "5.20"},
      {"volumes: [{type: bind, source: ./d, target: /d, bind: {propagation: shared}}]", "shared-propagation", "5.20"},
      {"security_opt: [\"no-new-privileges:false\"]", "no-new-privileges", "5.26"},
      {"ports: [\"8080:8080\"]", "ports-all-interfaces", "5.14"},
      {"ports: [\"127.0.0.1:80:80\"]", "privileged-port", "5.8"},
      {"security_opt: [\"no-new-privileges:true\", \"seccomp:unconfined\"]", "seccomp-disabled", "5.22"},
      {"security_opt: [\"no-new-privileges:true\", \"seccomp=unconfined\"]", "seccomp-disabled", "5.22"},
      {"security_opt: [\"no-new-privileges:true\", \"apparmor:unconfined\"]", "apparmor-disabled", "5.2"},
      {"security_opt: [\"no-new-privileges:true\", \"apparmor=unconfined\"]", "apparmor-disabled", "5.2"},
      {"network_mode: host", "host-network", "5.10"},
      {"pid: host", "host-pid", "5.16"},
      {"ipc: host", "host-ipc", "5.17"},
      {"uts: host", "host-uts", "5.21"},
      {"userns_mode: host", "host-userns", "5.31"},
      {"devices: [\"/dev/fuse\"]", "host-devices", "5.18"},
      {"cgroup_parent: custom", "cgroup-parent", "5.25"},
      {"restart: on-failure", "restart-unbounded", "5.15"},
      {"restart: always", "restart-unbounded", "5.15"},
      {"restart: unless-stopped", "restart-unbounded", "5.15"},
      {"restart: \"on-failure:10\"", "restart-unbounded", "5.15"},
      {"restart: \"on-failure:3\"", "restart-unbounded", "5.15"},
      {"deploy: {restart_policy: {condition: on-failure, max_attempts: 2}}", "restart-unbounded", "5.15"},
      {"deploy: {restart_policy: {condition: any}}", "restart-unbounded", "5.15"},
      {"pids_limit: -1", "pids-limit", "5.29"},
      {"pids_limit: 0", "pids-limit", "5.29"},
      {"cap_add: [NET_ADMIN]", "cap-added", "5.4"},
      {"cap_drop: [NET_RAW]", "caps-not-dropped", "5.4"},
      {"user: root", "root-user", "4.1"},
      {"read_only: false", "writable-rootfs", "5.13"},
      {"healthcheck: {disable: true}", "healthcheck-missing", "5.27"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.snippet);
    // YAML keeps the last of duplicate keys out of the question: the snippet
    // replaces the clean line with the same key.
    std::string clean = kClean, key = std::string(c.snippet).substr(0, std::string(c.snippet).find(':'));
    std::string service;
    std::istringstream lines(clean);
    for (std::string line; std::getline(lines, line);)
      if (!line.starts_with("    " + key + ":")) service += line + "\n";
    auto project = load_text(std::string("services:\n  app:\n") + service + "    " + c.snippet + "\n");
    auto findings = berth::policy::check(project, image_with("", false));
    const Finding* f = find(findings, c.id);
    REQUIRE(f);
    CHECK(f->cis == c.cis);
    CHECK_FALSE(f->cis_title.empty());
    CHECK(f->service == "app");
    CHECK(f->mark.line > 0);
    CHECK_FALSE(f->fix.empty());
    CHECK(findings.size() == 1);
  }
}

TEST_CASE("audit rules stay quiet on what they allow", "[policy][audit]") {
  const char* cases[] = {
      "restart: \"on-failure:5\"",
      "deploy: {restart_policy: {condition: on-failure, max_attempts: 5}}",
      "restart: \"no\"",
      "pids_limit: 1",
      "volumes: [\"/etc/localtime:/etc/localtime:ro\"]",
      "volumes: [\"./d:/d:rprivate\"]",
      "ports: [\"127.0.0.1:8080-8090:8080-8090\"]",
      "security_opt: [\"no-new-privileges:true\", \"seccomp=/profiles/app.json\"]",
  };
  for (const char* snippet : cases) {
    CAPTURE(snippet);
    std::string clean = kClean, key = std::string(snippet).substr(0, std::string(snippet).find(':'));
    std::string service;
    std::istringstream lines(clean);
    for (std::string line; std::getline(lines, line);)
      if (!line.starts_with("    " + key + ":")) service += line + "\n";
    auto project = load_text(std::string("services:\n  app:\n") + service + "    " + snippet + "\n");
    auto findings = berth::policy::check(project, image_with("", false));
    for (const auto& f : findings) INFO(f.id << ": " << f.message);
    CHECK(findings.empty());
  }
}

TEST_CASE("a port range is one finding per entry, not one per port", "[policy][audit]") {
  auto project = load_text(std::string("services:\n  app:\n") + kClean +
                           "    ports: [\"70-8000:70-8000\", \"9000:9000\"]\n");
  auto findings = berth::policy::check(project, image_with("", false));
  std::vector<std::string> messages;
  for (const auto& f : findings) messages.push_back(f.id + ": " + f.message);
  CHECK(messages == std::vector<std::string>{
                        "ports-all-interfaces: ports 70-8000:70-8000 are published on all interfaces",
                        "privileged-port: host ports 70-8000 include privileged ports",
                        "ports-all-interfaces: port 9000:9000 is published on all interfaces"});
}

TEST_CASE("a named volume that binds a host system directory is a sensitive mount", "[policy][audit]") {
  struct Case {
    const char* volume;
    const char* id;  // "" for none
  };
  const Case cases[] = {
      {"{driver_opts: {type: none, o: bind, device: /etc}}", "sensitive-mount"},
      {"{driver: local, driver_opts: {type: none, o: \"rbind,ro\", device: /var/run/docker.sock}}", "docker-socket"},
      {"{driver_opts: {type: none, o: bind, device: /srv/data}}", ""},
      {"{driver_opts: {type: nfs, o: \"addr=10.0.0.1\", device: \":/etc\"}}", ""},
      {"{}", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.volume);
    auto project = load_text(std::string("services:\n  app:\n") + kClean + "    volumes: [\"data:/data\"]\n" +
                             "volumes:\n  data: " + c.volume + "\n");
    auto findings = berth::policy::check(project, image_with("", false));
    if (*c.id) {
      REQUIRE(findings.size() == 1);
      CHECK(findings[0].id == c.id);
      CHECK(findings[0].message.find("through volume data") != std::string::npos);
    } else {
      CHECK(findings.empty());
    }
  }
}

TEST_CASE("rules about what is missing", "[policy][audit]") {
  auto project = load_text("services:\n  app:\n    image: busybox\n");
  SECTION("root image without healthcheck") {
    auto findings = berth::policy::check(project, image_with("", false));
    for (const char* id : {"security-opt-missing", "no-new-privileges", "memory-limit", "cpu-limit", "pids-limit",
                           "healthcheck-missing", "caps-not-dropped", "root-user", "writable-rootfs"}) {
      CAPTURE(id);
      const Finding* f = find(findings, id);
      REQUIRE(f);
      CHECK(f->mark.line == 3);  // where the service's mapping starts (the model keeps value marks, not key marks)
    }
  }
  SECTION("the image's user and healthcheck count") {
    auto findings = berth::policy::check(project, image_with("app", true));
    CHECK_FALSE(find(findings, "root-user"));
    CHECK_FALSE(find(findings, "healthcheck-missing"));
  }
}

TEST_CASE("volumes shared writable between services", "[policy][audit]") {
  auto project = load_text(R"(services:
  a: {image: busybox, volumes: ["data:/data"]}
  b: {image: busybox, volumes: ["data:/data"]}
  c: {image: busybox, volumes: ["data:/data:ro", "own:/own"]}
volumes: {data: {}, own: {}}
)");
  auto findings = berth::policy::check(project, image_with("app", true));
  std::vector<std::string> services;
  for (const auto& f : findings)
    if (f.id == "shared-volume") services.push_back(f.service);
  CHECK(services == std::vector<std::string>{"a", "b"});
}

TEST_CASE("findings the level fixes are reported as mitigated", "[policy][audit]") {
  auto project = load_text("services:\n  app:\n    image: busybox\n    ports: [\"8080:80\"]\n    x-berth: {allow: [privileged]}\n    privileged: true\n");
  struct Case {
    std::optional<Level> level;
    std::vector<std::string> mitigated;
  };
  const Case cases[] = {
      {Level::Compat, {}},
      {Level::Standard, {"no-new-privileges", "security-opt-missing", "ports-all-interfaces", "pids-limit"}},
      {Level::Strict, {"no-new-privileges", "security-opt-missing", "ports-all-interfaces", "pids-limit",
                       "writable-rootfs"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.level ? berth::policy::to_string(*c.level) : "default");
    berth::policy::PolicyOptions options;
    options.level = c.level;
    options.image = image_with("app", false);
    auto findings = berth::policy::audit(project, options);
    std::vector<std::string> mitigated;
    for (const auto& f : findings)
      if (f.mitigated) mitigated.push_back(f.id);
    std::sort(mitigated.begin(), mitigated.end());
    auto expected = c.mitigated;
    std::sort(expected.begin(), expected.end());
    CHECK(mitigated == expected);
    const Finding* privileged = find(findings, "privileged");
    REQUIRE(privileged);
    CHECK_FALSE(privileged->mitigated);
    CHECK(findings.front().severity == berth::policy::Severity::High);
    CHECK(berth::policy::count_failing(findings, berth::policy::Severity::High) == 1);
  }
}

TEST_CASE("audit output formats", "[policy][audit]") {
  Finding f;
  f.id = "privileged";
  f.severity = berth::policy::Severity::High;
  f.service = "web";
  f.mark = berth::SourceMark{"/p/compose.yaml", 7, 5};
  f.cis = "5.5";
  f.cis_title = "Ensure that privileged containers are not used";
  f.owasp = "RULE #3";
  f.message = "privileged: true";
  f.fix = "remove it";
  Finding mitigated = f;
  mitigated.id = "pids-limit";
  mitigated.severity = berth::policy::Severity::Medium;
  mitigated.mitigated = true;
  std::vector<Finding> findings{f, mitigated};

  json doc = berth::policy::findings_json(findings, "/p");
  REQUIRE(doc["findings"].size() == 2);
  CHECK(doc["findings"][0] == json{{"id", "privileged"}, {"severity", "high"}, {"service", "web"},
                                   {"file", "compose.yaml"}, {"line", 7}, {"cis", "5.5"},
                                   {"cis_title", "Ensure that privileged containers are not used"}, {"owasp", "RULE #3"},
                                   {"message", "privileged: true"}, {"fix", "remove it"}, {"mitigated", false}});
  CHECK(doc["findings"][1]["mitigated"] == true);

  json sarif = berth::policy::findings_sarif(findings, "/p");
  CHECK(sarif["version"] == "2.1.0");
  const json& run = sarif["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "berth");
  CHECK(run["tool"]["driver"]["rules"].size() == 2);
  const json& privileged_rule = run["tool"]["driver"]["rules"][0];
  CHECK(privileged_rule["fullDescription"]["text"] ==
        "CIS Docker Benchmark v1.6.0 5.5: Ensure that privileged containers are not used");
  CHECK(privileged_rule["shortDescription"]["text"] == "privileged: true");
  CHECK(privileged_rule["properties"]["cis"] == "5.5");
  CHECK(run["results"][0]["level"] == "error");
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 7);
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "compose.yaml");
  CHECK_FALSE(run["results"][0].contains("suppressions"));
  CHECK(run["results"][1]["suppressions"][0]["kind"] == "external");
}
