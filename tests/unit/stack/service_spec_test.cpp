// The compose model as swarm objects: names and labels as docker stack sets
// them, the ServiceSpec fields, what a swarm cannot do named, and the hash
// that keeps an unchanged service untouched.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../policy/policy_test_util.h"
#include "berth/model/project.h"
#include "berth/stack/service_spec.h"

using namespace berth;
using berth::policy::testing::load_text;
using nlohmann::json;

namespace {

struct Deployed {
  model::Project project;
  std::vector<stack::FileObject> secrets, configs;
  std::vector<stack::NetworkObject> networks;
  stack::ServiceSpec spec(const std::string& service, const std::string& image = "busybox:1") {
    return stack::service_spec(project, *project.find_service(service), "st", image, secrets, configs, networks);
  }
};

Deployed deployed(const std::string& yaml) {
  Deployed d{load_text(yaml), {}, {}, {}};
  d.secrets = stack::file_objects(d.project, "st", "secrets");
  d.configs = stack::file_objects(d.project, "st", "configs");
  d.networks = stack::network_objects(d.project, "st", {});
  return d;
}

}  // namespace

TEST_CASE("a service's spec carries what docker stack deploy would send", "[stack]") {
  auto d = deployed(R"(
services:
  web:
    image: busybox:1
    entrypoint: ["/bin/sh", "-c"]
    command: ["httpd -f"]
    environment: {A: "1"}
    labels: {tier: front}
    working_dir: /srv
    user: "1000:1000"
    hostname: web0
    init: true
    read_only: true
    stop_signal: SIGINT
    stop_grace_period: 3s
    cap_drop: [ALL]
    extra_hosts: ["db.local:10.0.0.5"]
    ulimits: {nofile: {soft: 100, hard: 200}}
    healthcheck: {test: ["CMD", "true"], interval: 5s, retries: 2}
    ports: [{target: 80, published: 8080, mode: host}]
    volumes: [data:/data, /srv/www:/www:ro, {type: tmpfs, target: /tmp}]
    networks: {back: {aliases: [www]}}
    secrets: [{source: pw, target: password, mode: 0400}]
    configs: [{source: conf, target: /etc/app.conf}]
    deploy:
      mode: replicated
      replicas: 3
      labels: {owner: team}
      endpoint_mode: dnsrr
      resources: {limits: {cpus: "0.5", memory: 64M, pids: 50}, reservations: {memory: 16M}}
      restart_policy: {condition: on-failure, delay: 2s, max_attempts: 4}
      update_config: {parallelism: 2, order: start-first}
      placement: {constraints: [node.role == manager], preferences: [{spread: node.labels.zone}], max_replicas_per_node: 2}
    logging: {driver: json-file, options: {max-size: 1m}}
networks:
  back: {attachable: true}
volumes:
  data: {}
secrets:
  pw: {environment: HOME}
configs:
  conf: {content: "level=1"}
)");
  auto result = d.spec("web");
  const json& s = *result.spec;
  CHECK(s["Name"] == "st_web");
  CHECK(s["Labels"]["com.docker.stack.namespace"] == "st");
  CHECK(s["Labels"]["com.docker.stack.image"] == "busybox:1");
  CHECK(s["Labels"]["owner"] == "team");
  CHECK(s["Labels"]["dev.berth.spec-hash"] == result.hash);
  const json& c = s["TaskTemplate"]["ContainerSpec"];
  CHECK(c["Image"] == "busybox:1");
  CHECK(c["Command"] == json::array({"/bin/sh", "-c"}));
  CHECK(c["Args"] == json::array({"httpd -f"}));
  CHECK(c["Env"] == json::array({"A=1"}));
  CHECK(c["Labels"]["tier"] == "front");
  CHECK(c["Labels"]["com.docker.stack.namespace"] == "st");
  CHECK(c["Dir"] == "/srv");
  CHECK(c["User"] == "1000:1000");
  CHECK(c["Hostname"] == "web0");
  CHECK(c["Init"] == true);
  CHECK(c["ReadOnly"] == true);
  CHECK(c["StopSignal"] == "SIGINT");
  CHECK(c["StopGracePeriod"] == 3000000000LL);
  CHECK(c["CapabilityDrop"] == json::array({"ALL"}));
  CHECK(c["Hosts"] == json::array({"10.0.0.5 db.local"}));
  CHECK(c["Ulimits"] == json::parse(R"([{"Name": "nofile", "Soft": 100, "Hard": 200}])"));
  CHECK(c["Healthcheck"]["Test"] == json::array({"CMD", "true"}));
  CHECK(c["Healthcheck"]["Interval"] == 5000000000LL);
  CHECK(c["Healthcheck"]["Retries"] == 2);
  REQUIRE(c["Mounts"].size() == 3);
  CHECK(c["Mounts"][0]["Type"] == "volume");
  CHECK(c["Mounts"][0]["Source"] == "st_data");
  CHECK(c["Mounts"][0]["VolumeOptions"]["Labels"]["com.docker.stack.namespace"] == "st");
  CHECK(c["Mounts"][1]["Type"] == "bind");
  CHECK(c["Mounts"][1]["ReadOnly"] == true);
  CHECK(c["Mounts"][2]["Type"] == "tmpfs");
  REQUIRE(c["Secrets"].size() == 1);
  CHECK(c["Secrets"][0]["File"]["Name"] == "password");
  CHECK(c["Secrets"][0]["File"]["Mode"] == 0400);
  CHECK(c["Secrets"][0]["SecretName"].get<std::string>().rfind("st_pw_", 0) == 0);
  CHECK(c["Configs"][0]["File"]["Name"] == "/etc/app.conf");
  const json& t = s["TaskTemplate"];
  CHECK(t["Resources"]["Limits"]["NanoCPUs"] == 500000000LL);
  CHECK(t["Resources"]["Limits"]["MemoryBytes"] == 64LL * 1024 * 1024);
  CHECK(t["Resources"]["Limits"]["Pids"] == 50);
  CHECK(t["Resources"]["Reservations"]["MemoryBytes"] == 16LL * 1024 * 1024);
  CHECK(t["RestartPolicy"] == json::parse(R"({"Condition": "on-failure", "Delay": 2000000000, "MaxAttempts": 4})"));
  CHECK(t["Placement"]["Constraints"] == json::array({"node.role == manager"}));
  CHECK(t["Placement"]["Preferences"][0]["Spread"]["SpreadDescriptor"] == "node.labels.zone");
  CHECK(t["Placement"]["MaxReplicas"] == 2);
  CHECK(t["Networks"] == json::parse(R"([{"Target": "st_back", "Aliases": ["web", "www"]}])"));
  CHECK(t["LogDriver"]["Name"] == "json-file");
  CHECK(s["Mode"]["Replicated"]["Replicas"] == 3);
  CHECK(s["UpdateConfig"]["Parallelism"] == 2);
  CHECK(s["UpdateConfig"]["Order"] == "start-first");
  CHECK(s["EndpointSpec"]["Mode"] == "dnsrr");
  CHECK(s["EndpointSpec"]["Ports"] ==
        json::parse(R"([{"Protocol": "tcp", "TargetPort": 80, "PublishMode": "host", "PublishedPort": 8080}])"));

  REQUIRE(d.networks.size() == 1);
  CHECK(d.networks[0].name == "st_back");
  CHECK((*d.networks[0].create_body)["Driver"] == "overlay");
  CHECK((*d.networks[0].create_body)["Attachable"] == true);
  CHECK((*d.networks[0].create_body)["Labels"]["com.docker.stack.namespace"] == "st");
}

TEST_CASE("modes, restart: and what a swarm cannot do", "[stack]") {
  auto d = deployed(R"(
services:
  job:
    image: busybox:1
    restart: "on-failure:3"
    privileged: true
    depends_on: [other]
    ports: ["127.0.0.1:9000:9000"]
    deploy: {mode: replicated-job, replicas: 4}
  other:
    image: busybox:1
    container_name: fixed
    deploy: {mode: global}
)");
  auto job = d.spec("job");
  CHECK((*job.spec)["Mode"] == json::parse(R"({"ReplicatedJob": {"MaxConcurrent": 4, "TotalCompletions": 4}})"));
  CHECK((*job.spec)["TaskTemplate"]["RestartPolicy"] == json::parse(R"({"Condition": "on-failure", "MaxAttempts": 3})"));
  for (const char* key : {"privileged", "depends_on"})
    CHECK(std::find(job.ignored.begin(), job.ignored.end(), key) != job.ignored.end());
  auto other = d.spec("other");
  CHECK(std::find(other.ignored.begin(), other.ignored.end(), "container_name") != other.ignored.end());
  bool host_ip = false;
  for (const auto& i : job.ignored) host_ip = host_ip || i.rfind("ports.host_ip (127.0.0.1", 0) == 0;
  CHECK(host_ip);
  CHECK((*d.spec("other").spec)["Mode"] == json::parse(R"({"Global": {}})"));
  CHECK((*d.spec("other").spec)["TaskTemplate"]["RestartPolicy"]["Condition"] == "any");
}

TEST_CASE("secrets and configs are named by content, the spec hash follows the spec", "[stack]") {
  const std::string yaml = R"(
services:
  a:
    image: busybox:1
    configs: [c]
configs:
  c: {content: "one"}
)";
  auto one = deployed(yaml);
  auto two = deployed(yaml);
  auto changed = deployed(R"(
services:
  a:
    image: busybox:1
    configs: [c]
configs:
  c: {content: "two"}
)");
  CHECK(one.configs[0].name == two.configs[0].name);
  CHECK(one.configs[0].name != changed.configs[0].name);
  CHECK(one.spec("a").hash == two.spec("a").hash);
  CHECK(one.spec("a").hash != changed.spec("a").hash);
  CHECK(one.spec("a").hash != one.spec("a", "busybox:2").hash);
  auto spec = stack::file_object_spec(one.configs[0], "st");
  CHECK(spec["Data"] == "b25l");  // base64 of "one"
  CHECK(spec["Labels"]["com.docker.stack.namespace"] == "st");

  CHECK_THROWS_WITH(deployed("services:\n  a:\n    image: x\n    secrets: [s]\nsecrets:\n  s: {file: /nonexistent/file}\n"),
                    Catch::Contains("secrets.s: cannot read its file /nonexistent/file"));
  auto build_only = deployed("services:\n  a:\n    build: .\n");
  CHECK_THROWS_WITH(build_only.spec("a", ""), Catch::Contains("this service has only `build:`"));
}
