#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/project.h"

using nlohmann::json;

TEST_CASE("project binds typed fields from canonical JSON", "[model]") {
  json doc = json::parse(R"({
    "name": "p", "x-top": {"a": 1},
    "services": {
      "web": {"image": "nginx", "container_name": "w", "restart": "always", "pull_policy": "missing",
              "depends_on": {"db": {"condition": "service_healthy", "required": false, "restart": true}},
              "networks": {"front": {"aliases": ["a1"], "ipv4_address": "10.0.0.2", "priority": 5}, "default": null},
              "volumes": [{"type": "bind", "source": "/d", "target": "/data", "read_only": true}],
              "ports": [{"mode": "ingress", "target": 80, "published": "8080", "host_ip": "127.0.0.1", "protocol": "tcp"}],
              "deploy": {"replicas": 3}, "profiles": ["dev"],
              "healthcheck": {"test": ["CMD", "true"]}, "stop_signal": "SIGINT", "stop_grace_period": "1m30s"},
      "db": {"build": {"context": "/x"}, "scale": 2, "healthcheck": {"disable": true}}
    },
    "networks": {"front": {"name": "p_front"}, "ext": {"external": true, "name": "real"}},
    "volumes": {"data": {"name": "p_data"}}
  })");
  json disabled = json::parse(R"({"extra": {"image": "x", "profiles": ["x"]}})");
  auto p = berth::model::Project::from_json(doc, disabled);
  REQUIRE(p.services.size() == 2);
  CHECK(p.services[0].name == "db");
  CHECK(p.services[1].name == "web");
  const auto& web = *p.find_service("web");
  CHECK(web.image == "nginx");
  CHECK(web.container_name == "w");
  CHECK(web.restart == "always");
  CHECK(web.pull_policy == "missing");
  CHECK(web.scale == 3);
  CHECK(web.profiles == std::vector<std::string>{"dev"});
  REQUIRE(web.depends_on.size() == 1);
  CHECK(web.depends_on[0].service == "db");
  CHECK(web.depends_on[0].condition == "service_healthy");
  CHECK_FALSE(web.depends_on[0].required);
  CHECK(web.depends_on[0].restart);
  REQUIRE(web.networks.size() == 2);
  CHECK(web.networks[0].name == "default");
  CHECK(web.networks[1].aliases == std::vector<std::string>{"a1"});
  CHECK(web.networks[1].ipv4_address == "10.0.0.2");
  CHECK(web.networks[1].priority == 5);
  REQUIRE(web.volumes.size() == 1);
  CHECK(web.volumes[0].read_only);
  REQUIRE(web.ports.size() == 1);
  CHECK(web.ports[0].target == 80);
  CHECK(web.ports[0].published == "8080");
  CHECK(web.ports[0].host_ip == "127.0.0.1");
  CHECK(web.has_healthcheck);
  CHECK(web.stop_signal == "SIGINT");
  CHECK(web.stop_grace_period_ns == int64_t{90} * 1'000'000'000);
  const auto& db = *p.find_service("db");
  CHECK(db.has_build);
  CHECK_FALSE(db.image);
  CHECK(db.image_name("p") == "p-db");
  CHECK(db.scale == 2);
  CHECK_FALSE(db.has_healthcheck);
  REQUIRE(p.disabled_services.size() == 1);
  CHECK(p.disabled_services[0].name == "extra");
  CHECK(p.find_network("ext")->external);
  CHECK(p.find_network("ext")->name == "real");
  CHECK(p.find_volume("data")->name == "p_data");
  CHECK((*p.extensions)["x-top"]["a"] == 1);
  CHECK(p.to_json() == doc);
}

TEST_CASE("services copy deeply and rebind after edits", "[model]") {
  berth::model::Service s;
  s.name = "a";
  *s.json = json{{"image", "x"}};
  s.bind();
  berth::model::Service copy = s;
  (*copy.json)["image"] = "y";
  copy.bind();
  CHECK(s.image == "x");
  CHECK(copy.image == "y");
}
