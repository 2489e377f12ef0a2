#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loader/consistency.h"
#include "loader/normalize.h"

using nlohmann::json;

namespace {

// Every pointer gets a distinct line so the test sees which one was used.
berth::SourceMark fake_mark(const std::string& pointer) {
  return berth::SourceMark{"compose.yaml", static_cast<int>(pointer.size()), 1};
}

std::string error_of(const char* project, const char* disabled = "{}") {
  json doc = json::parse(project);
  berth::loader::normalize(doc, {"p"});
  try {
    berth::loader::check_consistency(doc, json::parse(disabled), fake_mark);
  } catch (const berth::Error& e) {
    return e.message();
  }
  return "";
}

std::string at(const std::string& pointer) { return "compose.yaml:" + std::to_string(pointer.size()) + ":1: "; }

}  // namespace

TEST_CASE("consistency errors name position and path", "[consistency]") {
  struct Case {
    const char* name;
    const char* project;
    std::string expected;
  };
  const Case cases[] = {
      {"image or build required", R"({"services":{"web":{}}})",
       at("/services/web") + "services.web: service \"web\" has neither an image nor a build context specified"},
      {"undefined network", R"({"services":{"web":{"image":"x","networks":{"front":null}}}})",
       at("/services/web/networks/front") + "services.web.networks.front: service \"web\" refers to undefined network \"front\""},
      {"undefined volume", R"({"services":{"web":{"image":"x","volumes":[{"type":"volume","source":"data","target":"/d"}]}}})",
       at("/services/web/volumes/0") + "services.web.volumes.0: service \"web\" refers to undefined volume \"data\""},
      {"undefined secret", R"({"services":{"web":{"image":"x","secrets":[{"source":"s"}]}}})",
       at("/services/web/secrets/0") + "services.web.secrets.0: service \"web\" refers to undefined secret \"s\""},
      {"undefined config", R"({"services":{"web":{"image":"x","configs":[{"source":"c"}]}}})",
       at("/services/web/configs/0") + "services.web.configs.0: service \"web\" refers to undefined config \"c\""},
      {"depends_on unknown service", R"({"services":{"web":{"image":"x","depends_on":{"db":{"required":true}}}}})",
       at("/services/web/depends_on/db") + "services.web.depends_on.db: service \"web\" depends on undefined service \"db\""},
      {"depends_on disabled service", R"({"services":{"web":{"image":"x","depends_on":{"db":{"required":true}}}}})",
       at("/services/web/depends_on/db") + "services.web.depends_on.db: service \"web\" depends on service \"db\" which is disabled by its profiles"},
      {"depends_on itself", R"({"services":{"web":{"image":"x","depends_on":{"web":{}}}}})",
       at("/services/web/depends_on/web") + "services.web.depends_on.web: service \"web\" depends on itself"},
      {"links unknown service", R"({"services":{"web":{"image":"x","links":["db:database"],"depends_on":{"db":{"required":false}}}}})",
       at("/services/web/links/0") + "services.web.links.0: service \"web\" links to undefined service \"db\""},
      {"volumes_from unknown service", R"({"services":{"web":{"image":"x","volumes_from":["data"],"depends_on":{"data":{"required":false}}}}})",
       at("/services/web/volumes_from/0") + "services.web.volumes_from.0: service \"web\" mounts volumes from undefined service \"data\""},
      {"network_mode service unknown", R"({"services":{"web":{"image":"x","network_mode":"service:vpn"}}})",
       at("/services/web/depends_on/vpn") + "services.web.depends_on.vpn: service \"web\" depends on undefined service \"vpn\""},
      {"cycle", R"({"services":{"a":{"image":"x","depends_on":{"b":{}}},"b":{"image":"x","depends_on":{"c":{}}},"c":{"image":"x","depends_on":{"a":{}}}}})",
       at("/services/c/depends_on/a") + "services.c.depends_on.a: dependency cycle detected: a -> b -> c -> a"},
      {"container_name with replicas", R"({"services":{"web":{"image":"x","container_name":"w","deploy":{"replicas":2}}}})",
       at("/services/web/container_name") + "services.web.container_name: service \"web\" sets container_name and scale > 1: container names must be unique"},
      {"container_name with scale", R"({"services":{"web":{"image":"x","container_name":"w","scale":3}}})",
       at("/services/web/container_name") + "services.web.container_name: service \"web\" sets container_name and scale > 1: container names must be unique"},
      {"scale beyond an int", R"({"services":{"web":{"image":"x","scale":4294967297}}})",
       at("/services/web/scale") + "services.web.scale: service \"web\" scale 4294967297 is too large (at most 2147483647)"},
      {"replicas beyond an int", R"({"services":{"web":{"image":"x","deploy":{"replicas":2147483648}}}})",
       at("/services/web/deploy/replicas") + "services.web.deploy.replicas: service \"web\" deploy.replicas 2147483648 is too large (at most 2147483647)"},
      {"scale differs from replicas", R"({"services":{"web":{"image":"x","scale":3,"deploy":{"replicas":2}}}})",
       at("/services/web/scale") + "services.web.scale: service \"web\" sets different values for scale and deploy.replicas"},
      {"network_mode with networks", R"({"services":{"web":{"image":"x","network_mode":"host","networks":{"n":null}}},"networks":{"n":{}}})",
       at("/services/web/network_mode") + "services.web.network_mode: service \"web\" declares mutually exclusive `network_mode` and `networks`"},
      {"external network with driver", R"({"networks":{"n":{"external":true,"driver":"overlay"}}})",
       at("/networks/n/driver") + "networks.n.driver: conflicting parameters \"external\" and \"driver\" specified for network \"n\""},
      {"external volume with labels", R"({"volumes":{"v":{"external":true,"labels":{"a":"b"}}}})",
       at("/volumes/v/labels") + "volumes.v.labels: conflicting parameters \"external\" and \"labels\" specified for volume \"v\""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const char* disabled = std::string(c.name) == "depends_on disabled service" ? R"({"db":{}})" : "{}";
    CHECK(error_of(c.project, disabled) == c.expected);
  }
}

TEST_CASE("consistent projects pass", "[consistency]") {
  const char* ok[] = {
      R"({"services":{"web":{"build":{"context":"/x"}}}})",
      R"({"services":{"web":{"image":"x","ports":[{"target":80,"published":"80"}]},"api":{"image":"x","ports":[{"target":80,"published":"80"}]}}})",
      R"({"services":{"web":{"image":"x","depends_on":{"db":{"required":false}}}}})",
      R"({"services":{"web":{"image":"x","volumes":[{"type":"volume","target":"/anon"}]}}})",
      R"({"services":{"web":{"image":"x","volumes_from":["container:abc"]}}})",
      R"({"networks":{"n":{"external":true,"name":"real","x-note":"ok"}}})",
      R"({"services":{"web":{"image":"x","container_name":"w","deploy":{"replicas":1}}}})",
  };
  for (const char* project : ok) {
    INFO(project);
    CHECK(error_of(project).empty());
  }
}
