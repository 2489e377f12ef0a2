#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/field_order.h"
#include "berth/model/output.h"

using nlohmann::json;

namespace {

// The keys of an ordered object, in order.
std::vector<std::string> keys_of(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

}  // namespace

// Key orders docker compose prints (compose-go's struct declaration order),
// seen in real files: a long-syntax bind mount (sentry), ports (every
// file), a healthcheck with timeout and interval (airflow), depends_on with
// links (n8n), ulimits (plausible).
TEST_CASE("struct fields print in compose-go's order", "[model][order]") {
  struct Case {
    const char* name;
    const char* service;  // JSON
    const char* path;     // JSON pointer inside the service, to the object compared
    std::vector<std::string> keys;
  };
  const std::vector<Case> cases = {
      {"service", R"({"volumes":[],"image":"a","command":["x"],"cpu_shares":2,"cgroup":"host","cgroup_parent":"p",
                      "profiles":["p"],"environment":{},"env_file":[],"x-ext":1,"hostname":"h","healthcheck":{}})",
       "", {"profiles", "cgroup_parent", "cgroup", "cpu_shares", "command", "environment", "env_file", "hostname",
            "healthcheck", "image", "volumes", "x-ext"}},
      {"port", R"({"ports":[{"target":80,"published":"8080","protocol":"tcp","mode":"ingress","host_ip":"::1"}]})",
       "/ports/0", {"mode", "host_ip", "target", "published", "protocol"}},
      {"mount", R"({"volumes":[{"bind":{"create_host_path":true,"selinux":"z"},"type":"bind","target":"/t","source":"/s","read_only":true}]})",
       "/volumes/0", {"type", "source", "target", "read_only", "bind"}},
      {"mount bind", R"({"volumes":[{"bind":{"create_host_path":true,"selinux":"z","propagation":"rshared"},"type":"bind"}]})",
       "/volumes/0/bind", {"selinux", "propagation", "create_host_path"}},
      {"healthcheck", R"({"healthcheck":{"interval":"30s","retries":5,"start_period":"30s","test":["CMD","true"],"timeout":"10s"}})",
       "/healthcheck", {"test", "timeout", "interval", "retries", "start_period"}},
      {"dependency", R"({"depends_on":{"db":{"required":true,"restart":true,"condition":"service_started"}}})",
       "/depends_on/db", {"condition", "restart", "required"}},
      {"ulimit", R"({"ulimits":{"nofile":{"hard":2,"soft":1}}})", "/ulimits/nofile", {"soft", "hard"}},
      {"build", R"({"build":{"target":"dev","dockerfile":"Dockerfile","context":"/c","args":{"A":"1"}}})",
       "/build", {"context", "dockerfile", "args", "target"}},
      {"deploy resources", R"({"deploy":{"resources":{"limits":{"memory":"1","cpus":0.5,"pids":3}},"replicas":2}})",
       "/deploy/resources/limits", {"cpus", "memory", "pids"}},
      {"env_file", R"({"env_file":[{"required":true,"path":"/p"}]})", "/env_file/0", {"path", "required"}},
      {"secret reference", R"({"secrets":[{"target":"/run/secrets/s","source":"s","mode":288}]})", "/secrets/0",
       {"source", "target", "mode"}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    json project = {{"name", "p"}, {"services", {{"web", json::parse(c.service)}}}};
    auto ordered = berth::model::in_compose_order(project);
    const auto& object = ordered["services"]["web"][nlohmann::ordered_json::json_pointer(c.path)];
    CHECK(keys_of(object) == c.keys);
  }
}

TEST_CASE("networks, volumes and resource maps: fields ordered, names sorted", "[model][order]") {
  json project = json::parse(R"({"services":{},"name":"p","networks":{"b":{"name":"p_b","ipam":{"config":[
      {"gateway":"10.0.0.1","subnet":"10.0.0.0/24"}],"driver":"default"},"driver":"bridge"},"a":{"name":"p_a"}},
      "volumes":{"v":{"name":"p_v","external":true,"driver":"local"}}})");
  auto ordered = berth::model::in_compose_order(project);
  CHECK(keys_of(ordered) == std::vector<std::string>{"name", "networks", "services", "volumes"});  // JSON: a map
  CHECK(keys_of(ordered["networks"]) == std::vector<std::string>{"a", "b"});
  CHECK(keys_of(ordered["networks"]["b"]) == std::vector<std::string>{"name", "driver", "ipam"});
  CHECK(keys_of(ordered["networks"]["b"]["ipam"]) == std::vector<std::string>{"driver", "config"});
  CHECK(keys_of(ordered["networks"]["b"]["ipam"]["config"][0]) == std::vector<std::string>{"subnet", "gateway"});
  CHECK(keys_of(ordered["volumes"]["v"]) == std::vector<std::string>{"name", "driver", "external"});
}

TEST_CASE("the YAML writer prints a service's mount and port in compose's order", "[model][order][output]") {
  json project = json::parse(R"({"name":"p","services":{"web":{"image":"nginx","ports":[{"mode":"ingress",
      "protocol":"tcp","published":"8080","target":80}],"volumes":[{"bind":{"create_host_path":true},
      "source":"/s","target":"/t","type":"bind"}]}}})");
  const char* expected =
      "name: p\n"
      "services:\n"
      "  web:\n"
      "    image: nginx\n"
      "    ports:\n"
      "      - mode: ingress\n"
      "        target: 80\n"
      "        published: \"8080\"\n"
      "        protocol: tcp\n"
      "    volumes:\n"
      "      - type: bind\n"
      "        source: /s\n"
      "        target: /t\n"
      "        bind:\n"
      "          create_host_path: true\n";
  CHECK(berth::model::to_yaml(project) == expected);
}
