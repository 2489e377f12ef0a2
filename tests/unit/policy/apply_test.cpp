#include "berth/policy/apply.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "policy_test_util.h"

using nlohmann::json;
using berth::policy::Level;
using berth::policy::testing::load_text;

namespace {

berth::policy::PolicyOptions with_image_user(const std::string& user, std::vector<std::string> entrypoint = {}) {
  berth::policy::PolicyOptions options;
  options.image = [user, entrypoint](const std::string&) {
    return std::optional<berth::policy::ImageFacts>(berth::policy::ImageFacts{user, entrypoint, false});
  };
  return options;
}

const json& service_json(const berth::model::Project& p, const std::string& name = "app") {
  return *p.find_service(name)->json;
}

}  // namespace

TEST_CASE("standard policy sets secure defaults the user did not write", "[policy]") {
  auto project = load_text(R"(services:
  app:
    image: busybox
    ports: ["8080:80", "0.0.0.0:9090:90"]
)");
  auto result = berth::policy::apply(project, with_image_user(""));
  const json& s = service_json(project);
  CHECK(s["security_opt"] == json::array({"no-new-privileges:true"}));
  CHECK(s["cap_drop"] == json::array({"ALL"}));
  CHECK(s["cap_add"] == json::array({"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "KILL"}));
  CHECK(s["ports"][0]["host_ip"] == "127.0.0.1");
  CHECK(s["ports"][1]["host_ip"] == "0.0.0.0");
  CHECK(s["pids_limit"] == 2048);
  CHECK(s["init"] == true);
  CHECK_FALSE(s.contains("read_only"));
  std::string label = s["labels"][berth::model::labels::kBerthPolicy];
  CHECK(label.starts_with("standard: "));
  CHECK(label.find("pids_limit=2048") != std::string::npos);
  CHECK(label.find("cap_drop=ALL") != std::string::npos);
  // bind() ran: the typed fields agree with the JSON.
  CHECK(project.find_service("app")->ports[0].host_ip == "127.0.0.1");
  REQUIRE(result.services.size() == 1);
  CHECK(result.services[0].level == Level::Standard);
}

TEST_CASE("values the user wrote are never overridden", "[policy]") {
  auto project = load_text(R"(services:
  app:
    image: busybox
    security_opt: ["no-new-privileges:false"]
    cap_drop: [NET_RAW]
    pids_limit: 10
    init: false
    labels: {dev.berth.policy: mine}
)");
  berth::policy::apply(project, with_image_user(""));
  const json& s = service_json(project);
  CHECK(s["security_opt"] == json::array({"no-new-privileges:false"}));
  CHECK(s["cap_drop"] == json::array({"NET_RAW"}));
  CHECK_FALSE(s.contains("cap_add"));
  CHECK(s["pids_limit"] == 10);
  CHECK(s["init"] == false);
  CHECK(s["labels"][berth::model::labels::kBerthPolicy] == "mine");
}

TEST_CASE("capabilities depend on the effective user", "[policy][capabilities]") {
  struct Case {
    const char* service_user;  // "" = not set
    const char* image_user;
    bool image_known;
    bool root_caps;
  };
  const Case cases[] = {
      {"", "", true, true},        {"", "root", true, true},   {"", "0:0", true, true},
      {"", "app", true, false},    {"", "1000", true, false},  {"1000:1000", "", true, false},
      {"root", "app", true, true}, {"0", "1000", true, true},  {"", "", false, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.service_user, c.image_user, c.image_known);
    std::string yaml = "services:\n  app:\n    image: busybox\n    cap_add: [NET_BIND_SERVICE]\n";
    if (*c.service_user) yaml += std::string("    user: \"") + c.service_user + "\"\n";
    auto project = load_text(yaml);
    berth::policy::PolicyOptions options = with_image_user(c.image_user);
    if (!c.image_known) options.image = [](const std::string&) { return std::optional<berth::policy::ImageFacts>(); };
    berth::policy::apply(project, options);
    const json& s = service_json(project);
    CHECK(s["cap_drop"] == json::array({"ALL"}));
    json expected = c.root_caps ? json::array({"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "KILL",
                                               "NET_BIND_SERVICE"})
                                : json::array({"NET_BIND_SERVICE"});
    CHECK(s["cap_add"] == expected);
  }
}

TEST_CASE("init is not added when the entrypoint is already an init", "[policy]") {
  struct Case {
    const char* service_entrypoint;  // YAML, "" = not set
    std::vector<std::string> image_entrypoint;
    bool init;
  };
  const Case cases[] = {
      {"", {}, true},
      {"", {"/sbin/tini", "--"}, false},
      {"", {"/usr/bin/dumb-init", "--"}, false},
      {"", {"/init"}, false},
      {"", {"docker-entrypoint.sh"}, true},
      {"[tini, --, app]", {}, false},
      {"[app]", {"/sbin/tini", "--"}, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.service_entrypoint, c.image_entrypoint);
    std::string yaml = "services:\n  app:\n    image: busybox\n";
    if (*c.service_entrypoint) yaml += std::string("    entrypoint: ") + c.service_entrypoint + "\n";
    auto project = load_text(yaml);
    berth::policy::apply(project, with_image_user("", c.image_entrypoint));
    CHECK(service_json(project).contains("init") == c.init);
  }
}

TEST_CASE("refusals name the service, the position and the allow entry", "[policy]") {
  struct Case {
    const char* snippet;
    const char* allow;
  };
  const Case cases[] = {
      {"privileged: true", "privileged"},
      {"pid: host", "host_pid"},
      {"ipc: host", "host_ipc"},
      {"network_mode: host", "host_network"},
      {"uts: host", "host_uts"},
      {"userns_mode: host", "host_userns"},
      {"volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]", "docker_socket"},
      {"volumes: [\"/etc:/host-etc:ro\"]", "sensitive_mount"},
      {"volumes: [\"/:/host\"]", "sensitive_mount"},
      {"volumes: [\"/etc/ssl:/ssl\"]", "sensitive_mount"},
      {"devices: [\"/dev/fuse\"]", "devices"},
      {"volumes: [\"./data:/data:rshared\"]", "shared_propagation"},
      {"security_opt: [\"seccomp:unconfined\"]", "seccomp_unconfined"},
      {"security_opt: [\"apparmor=unconfined\"]", "apparmor_unconfined"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.snippet);
    std::string yaml = std::string("services:\n  app:\n    image: busybox\n    ") + c.snippet + "\n";
    {
      auto project = load_text(yaml);
      try {
        berth::policy::apply(project, with_image_user(""));
        FAIL("not refused");
      } catch (const berth::Error& e) {
        CHECK(e.kind() == berth::ErrorKind::Policy);
        std::string what = e.what();
        CHECK_THAT(what, Catch::Contains("service \"app\""));
        CHECK_THAT(what, Catch::Contains("compose.yaml:4:"));
        CHECK_THAT(what, Catch::Contains(std::string("x-berth: {allow: [") + c.allow + "]}"));
      }
    }
    {
      auto project = load_text(yaml + "    x-berth: {allow: [" + c.allow + "]}\n");
      CHECK_NOTHROW(berth::policy::apply(project, with_image_user("")));
    }
    {
      auto project = load_text(yaml);
      berth::policy::PolicyOptions compat = with_image_user("");
      compat.level = Level::Compat;
      CHECK_NOTHROW(berth::policy::apply(project, compat));
    }
  }
}

TEST_CASE("harmless mounts are not refused", "[policy]") {
  for (const char* volume : {"/etc/localtime:/etc/localtime:ro", "./data:/data", "/srv/www:/www", "named:/data",
                             "/tmp/x:/x:rslave"}) {
    CAPTURE(volume);
    auto project = load_text(std::string("services:\n  app:\n    image: busybox\n    volumes: [\"") + volume +
                             "\"]\nvolumes: {named: {}}\n");
    CHECK_NOTHROW(berth::policy::apply(project, with_image_user("")));
  }
}

TEST_CASE("strict requires a non-root user and a read-only root filesystem", "[policy]") {
  SECTION("non-root image user") {
    auto project = load_text("x-berth: {security: strict}\nservices:\n  app:\n    image: busybox\n");
    berth::policy::apply(project, with_image_user("app"));
    const json& s = service_json(project);
    CHECK(s["read_only"] == true);
    CHECK(s["tmpfs"] == json::array({"/tmp", "/run"}));
    CHECK(s["cap_drop"] == json::array({"ALL"}));
    CHECK_FALSE(s.contains("cap_add"));
  }
  SECTION("the user's own tmpfs and read_only stay") {
    auto project = load_text(
        "services:\n  app:\n    image: busybox\n    user: \"1000\"\n    read_only: false\n    tmpfs: [\"/tmp:size=1m\"]\n");
    auto options = with_image_user("");
    options.level = Level::Strict;
    berth::policy::apply(project, options);
    const json& s = service_json(project);
    CHECK(s["read_only"] == false);
    CHECK(s["tmpfs"] == json::array({"/tmp:size=1m", "/run"}));
  }
  SECTION("root is refused, unless allowed") {
    for (const char* user : {"", "root", "0:0"}) {
      CAPTURE(user);
      auto project = load_text("x-berth: {security: strict}\nservices:\n  app:\n    image: busybox\n");
      CHECK_THROWS_WITH(berth::policy::apply(project, with_image_user(user)),
                        Catch::Contains("non-root user") && Catch::Contains("allow: [root]"));
    }
    auto project = load_text(
        "x-berth: {security: strict}\nservices:\n  app:\n    image: busybox\n    x-berth: {allow: [root]}\n");
    CHECK_NOTHROW(berth::policy::apply(project, with_image_user("")));
  }
}

TEST_CASE("the level comes from the flag, the file, then the service", "[policy]") {
  auto project = load_text(R"(x-berth: {security: compat}
services:
  a: {image: busybox}
  b: {image: busybox, x-berth: {security: strict}, user: "1"}
  c: {image: busybox, x-berth: {security: standard}}
)");
  SECTION("from the file") {
    auto result = berth::policy::apply(project, with_image_user(""));
    CHECK(result.services[0].level == Level::Compat);
    CHECK(result.services[1].level == Level::Strict);
    CHECK(result.services[2].level == Level::Standard);
    CHECK_FALSE(service_json(project, "a").contains("cap_drop"));
    CHECK_FALSE(service_json(project, "a").contains("labels"));
  }
  SECTION("the flag replaces the file's top-level level") {
    auto options = with_image_user("");
    options.level = Level::Strict;
    auto result = berth::policy::evaluate(project, options);
    CHECK(result.services[0].level == Level::Strict);
    CHECK(result.services[2].level == Level::Standard);
  }
}

TEST_CASE("malformed x-berth is a configuration error with its position", "[policy]") {
  for (const char* bad : {"x-berth: {security: paranoid}", "x-berth: {allow: [everything]}", "x-berth: {allow: yes}"}) {
    CAPTURE(bad);
    auto project = load_text(std::string("services:\n  app:\n    image: busybox\n    ") + bad + "\n");
    try {
      berth::policy::apply(project, {});
      FAIL("accepted");
    } catch (const berth::Error& e) {
      CHECK(e.kind() == berth::ErrorKind::Config);
      CHECK_THAT(std::string(e.what()), Catch::Contains("compose.yaml:4:"));
    }
  }
}

TEST_CASE("applying the policy twice changes nothing the second time", "[policy]") {
  for (const char* level : {"standard", "strict"}) {
    CAPTURE(level);
    auto project = load_text(std::string("x-berth: {security: ") + level +
                             "}\nservices:\n  app:\n    image: busybox\n    user: app\n    ports: [\"80\"]\n");
    berth::policy::apply(project, with_image_user(""));
    json once = service_json(project);
    auto second = berth::policy::apply(project, with_image_user(""));
    CHECK(service_json(project) == once);
    CHECK(second.services[0].set.empty());
  }
}

TEST_CASE("every refusal of every service is listed in one error", "[policy]") {
  auto project = load_text(R"(services:
  a: {image: busybox, privileged: true, pid: host}
  b: {image: busybox, devices: ["/dev/fuse"]}
  c: {image: busybox}
)");
  try {
    berth::policy::apply(project, with_image_user(""));
    FAIL("not refused");
  } catch (const berth::Error& e) {
    std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("3 settings are refused"));
    CHECK_THAT(what, Catch::Contains("allow: [privileged]"));
    CHECK_THAT(what, Catch::Contains("allow: [host_pid]"));
    CHECK_THAT(what, Catch::Contains("service \"b\"") && Catch::Contains("allow: [devices]"));
  }
  auto result = berth::policy::evaluate(project, with_image_user(""));
  CHECK(result.refusals.size() == 3);
  CHECK(service_json(project, "c")["pids_limit"] == 2048);
}
