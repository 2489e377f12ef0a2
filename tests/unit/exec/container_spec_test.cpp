#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "exec/container_spec.h"
#include "berth/model/project.h"
#include "berth/util/error.h"

using nlohmann::json;
using namespace berth;

namespace {

// A project with one service "web" whose canonical JSON is `service_json`.
model::Project project_with(json service_json, json extra = json::object()) {
  json doc = {{"name", "shop"},
              {"services", {{"web", std::move(service_json)}}},
              {"networks", {{"default", {{"name", "shop_default"}}}}}};
  doc.update(extra);
  return model::Project::from_json(doc, json::array());
}

json spec_body(const model::Project& p, exec::SpecOptions options = {}) {
  exec::ContainerIdentity id{"shop-web-1", 1, std::nullopt, "abc123", "", ""};
  if (!options.resolve_service)
    options.resolve_service = [](const std::string& s) { return "id-of-" + s; };
  return *exec::container_spec(p, *p.find_service("web"), id, options).body;
}

}  // namespace

TEST_CASE("container_spec: basics, labels and the default network") {
  auto p = project_with({{"image", "berth-local/busybox:latest"},
                         {"command", {"sh", "-c", "echo hi"}},
                         {"environment", {{"A", "1"}, {"B", nullptr}}},
                         {"labels", {{"team", "shop"}}},
                         {"user", "1000:1000"},
                         {"working_dir", "/app"},
                         {"networks", {{"default", nullptr}}}});
  json b = spec_body(p);
  CHECK(b["Image"] == "berth-local/busybox:latest");
  CHECK(b["Cmd"] == json({"sh", "-c", "echo hi"}));
  CHECK(b["Env"] == json({"A=1", "B"}));
  CHECK(b["User"] == "1000:1000");
  CHECK(b["WorkingDir"] == "/app");
  CHECK(b["Labels"]["team"] == "shop");
  CHECK(b["Labels"]["com.docker.compose.project"] == "shop");
  CHECK(b["Labels"]["com.docker.compose.service"] == "web");
  CHECK(b["Labels"]["com.docker.compose.container-number"] == "1");
  CHECK(b["Labels"]["com.docker.compose.oneoff"] == "False");
  CHECK(b["Labels"]["com.docker.compose.config-hash"] == "abc123");
  CHECK(b["HostConfig"]["NetworkMode"] == "shop_default");
  CHECK(b["HostConfig"]["RestartPolicy"]["Name"] == "no");
  CHECK(b["NetworkingConfig"]["EndpointsConfig"]["shop_default"]["Aliases"] == json({"web"}));
}

TEST_CASE("container_spec: ports, volumes, resources, security") {
  auto p = project_with(
      {{"image", "img"},
       {"ports", {{{"target", 80}, {"published", "8080"}, {"host_ip", "127.0.0.1"},
                   {"protocol", "tcp"}, {"mode", "ingress"}}}},
       {"expose", {"9000-9001/udp"}},
       {"volumes",
        {{{"type", "volume"}, {"source", "data"}, {"target", "/data"}},
         {{"type", "bind"}, {"source", "/src"}, {"target", "/app"}, {"read_only", true},
          {"bind", {{"create_host_path", true}}}},
         {{"type", "tmpfs"}, {"target", "/tmp"}, {"tmpfs", {{"size", 1048576}}}}}},
       {"mem_limit", 536870912},
       {"cpus", 0.5},
       {"pids_limit", 100},
       {"cap_drop", {"ALL"}},
       {"security_opt", {"no-new-privileges:true"}},
       {"ulimits", {{"nofile", {{"soft", 1024}, {"hard", 2048}}}, {"nproc", 512}}},
       {"healthcheck", {{"test", {"CMD", "true"}}, {"interval", "30s"}, {"retries", 3}}},
       {"stop_grace_period", "1m30s"},
       {"restart", "on-failure:3"},
       {"networks", {{"default", nullptr}}}},
      {{"volumes", {{"data", {{"name", "shop_data"}}}}}});
  json b = spec_body(p);
  json h = b["HostConfig"];
  CHECK(h["PortBindings"]["80/tcp"] == json::array({{{"HostIp", "127.0.0.1"}, {"HostPort", "8080"}}}));
  CHECK(b["ExposedPorts"].contains("9000/udp"));
  CHECK(b["ExposedPorts"].contains("9001/udp"));
  CHECK(h["Mounts"][0] == json({{"Type", "volume"}, {"Source", "shop_data"}, {"Target", "/data"}, {"ReadOnly", false}}));
  CHECK(h["Binds"] == json({"/src:/app:ro"}));
  CHECK(h["Mounts"][1]["TmpfsOptions"]["SizeBytes"] == 1048576);
  CHECK(h["Memory"] == 536870912);
  CHECK(h["NanoCpus"] == 500000000);
  CHECK(h["PidsLimit"] == 100);
  CHECK(h["CapDrop"] == json({"ALL"}));
  CHECK(h["SecurityOpt"] == json({"no-new-privileges:true"}));
  CHECK(h["Ulimits"][0] == json({{"Name", "nofile"}, {"Soft", 1024}, {"Hard", 2048}}));
  CHECK(h["Ulimits"][1] == json({{"Name", "nproc"}, {"Soft", 512}, {"Hard", 512}}));
  CHECK(b["Healthcheck"]["Test"] == json({"CMD", "true"}));
  CHECK(b["Healthcheck"]["Interval"] == int64_t{30000000000});
  CHECK(b["Healthcheck"]["Retries"] == 3);
  CHECK(b["StopTimeout"] == 90);
  CHECK(h["RestartPolicy"] == json({{"Name", "on-failure"}, {"MaximumRetryCount", 3}}));
}

TEST_CASE("container_spec: network_mode service:x and extra networks on old engines") {
  auto p = project_with({{"image", "img"}, {"network_mode", "service:db"}});
  CHECK(spec_body(p)["HostConfig"]["NetworkMode"] == "container:id-of-db");

  auto q = project_with(json::parse(R"({"image": "img", "networks": {"front": {"aliases": ["shop"]}, "back": null}})"),
                        json::parse(R"({"networks": {"front": {"name": "shop_front"}, "back": {"name": "shop_back"}}})"));
  exec::ContainerIdentity id{"shop-web-1", 1, std::nullopt, "h", "", ""};
  auto spec = exec::container_spec(q, *q.find_service("web"), id, {"1.41", nullptr});
  json b = *spec.body;
  REQUIRE(b["NetworkingConfig"]["EndpointsConfig"].size() == 1);
  REQUIRE(spec.connect_after_create.size() == 1);
  std::string primary = b["HostConfig"]["NetworkMode"];
  CHECK((primary == "shop_back" || primary == "shop_front"));
  CHECK(spec.connect_after_create[0].network != primary);
}

TEST_CASE("container_spec: attributes the engine cannot honour are errors naming them") {
  auto p = project_with({{"image", "img"}, {"credential_spec", {{"file", "x.json"}}}});
  try {
    spec_body(p);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("credential_spec") != std::string::npos);
  }
  auto q = project_with({{"image", "img"}, {"deploy", {{"placement", {{"constraints", {"x"}}}}}}});
  exec::ContainerIdentity id{"n", 1, std::nullopt, "h", "", ""};
  auto spec = exec::container_spec(q, *q.find_service("web"), id, {});
  REQUIRE(spec.warnings.size() == 1);
  CHECK(spec.warnings[0].find("deploy.placement") != std::string::npos);
}
