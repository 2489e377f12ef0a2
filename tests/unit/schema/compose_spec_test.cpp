#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "berth/schema/compose_spec.h"

using berth::schema::compose_spec;
using nlohmann::json;

namespace {

// The members the build leaves out: text for people, ignored by the validator.
json without_annotations(const json& value) {
  if (value.is_array()) {
    json out = json::array();
    for (const auto& item : value) out.push_back(without_annotations(item));
    return out;
  }
  if (!value.is_object()) return value;
  json out = json::object();
  for (const auto& [key, member] : value.items()) {
    const bool annotation = key == "description" || key == "title" || key == "$comment";
    if (!(annotation && member.is_string())) out[key] = without_annotations(member);
  }
  return out;
}

}  // namespace

TEST_CASE("compose spec: the embedded schema is schemas/compose-spec.json without its annotations",
          "[schema]") {
  std::ifstream in(BERTH_TEST_DATA_DIR "/../../schemas/compose-spec.json", std::ios::binary);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const json embedded = json::parse(berth::schema::compose_spec_json());
  CHECK(embedded == without_annotations(json::parse(text.str())));
  CHECK(berth::schema::compose_spec_json().find("\n") == std::string_view::npos);
  CHECK(berth::schema::compose_spec_json().find("\"description\":") == std::string_view::npos);
}

TEST_CASE("compose spec: a schema update with a keyword we do not check fails loudly", "[schema]") {
  auto schema = json::parse(berth::schema::compose_spec_json());
  // compose_spec() compiles its std::regex patterns on first use: all compile.
  REQUIRE_NOTHROW(berth::schema::Validator::compile(schema, "compose-spec.json",
                                                     berth::schema::Validator::Regexes::CompileNow));
  schema["$defs"]["service"]["properties"]["image"]["if"] = {{"type", "string"}};
  CHECK_THROWS_WITH(berth::schema::Validator::compile(schema, "compose-spec.json"),
                    "compose-spec.json: #/$defs/service/properties/image/if: "
                    "unsupported JSON-Schema keyword 'if'");
}

TEST_CASE("compose spec: compiled once and shared between threads", "[schema]") {
  const berth::schema::Validator* seen[4] = {};
  std::vector<std::thread> threads;
  for (auto& slot : seen) threads.emplace_back([&slot] { slot = &compose_spec(); });
  for (auto& t : threads) t.join();
  for (auto* v : seen) CHECK(v == &compose_spec());
}

TEST_CASE("compose spec: valid projects pass", "[schema]") {
  const char* projects[] = {
      R"({"services":{"web":{"image":"nginx"}}})",
      R"({})",
      R"({"name":"demo","version":"3.9","services":{"web":{}}})",
      R"({"services":{"web":{"image":"nginx","x-berth":{"allow":["privileged"]}}},"x-anything":{"a":[1]},
          "networks":{"front":null,"back":{"driver":"bridge","x-n":1}},
          "volumes":{"data":null,"logs":{"external":true,"x-v":"1"}},
          "secrets":{"token":{"file":"./token","x-s":1}},"configs":{"conf":{"file":"./c","x-c":1}}})",
      R"({"services":{"web":{
          "image":"nginx",
          "ports":[80,"8080:80",{"target":80,"published":"8081","protocol":"tcp","x-note":"ok"}],
          "expose":["3000",3001],
          "environment":{"A":"1","B":null,"C":2,"D":true},
          "env_file":[".env",{"path":"other.env","required":false}],
          "command":["sh","-c","echo hi"],
          "entrypoint":null,
          "depends_on":{"db":{"condition":"service_healthy","restart":true,"x-d":1}},
          "healthcheck":{"test":["CMD","true"],"interval":"5s","retries":3,"x-h":1},
          "volumes":["./src:/src:ro",{"type":"bind","source":"./a","target":"/a","bind":{"create_host_path":true},"x-vol":1}],
          "deploy":{"resources":{"limits":{"cpus":"0.5","memory":"512M"}},"x-deploy":1},
          "ulimits":{"nofile":{"soft":1024,"hard":2048},"nproc":65535},
          "networks":{"front":{"aliases":["web"]},"back":null},
          "labels":["a=b"],
          "restart":"unless-stopped",
          "pull_policy":"missing",
          "container_name":"my-web",
          "build":{"context":".","args":{"V":"1"},"x-b":1},
          "logging":{"driver":"json-file","options":{"max-size":"1m"},"x-l":1},
          "cpus":1.5,"mem_limit":"1g","init":true,"scale":2}},
        "include":["other.yaml",{"path":["a.yaml","b.yaml"]}]})",
  };
  for (const char* text : projects) {
    CAPTURE(text);
    auto project = json::parse(text);
    auto errors = compose_spec().validate(project);
    for (const auto& e : errors) UNSCOPED_INFO(e.message);
    CHECK(errors.empty());
    CHECK(compose_spec().is_valid(project));
  }
}

TEST_CASE("compose spec: invalid projects get docker compose style errors", "[schema]") {
  struct Case {
    const char* project;
    const char* pointer;
    const char* message;  // the first error's message
    const char* suggestion;
  };
  const Case cases[] = {
      {R"({"services":{"web":{"image":"nginx","ports":80}}})", "/services/web/ports",
       "services.web.ports must be a list", ""},
      {R"({"services":{"web":{"ports":[true]}}})", "/services/web/ports/0",
       "services.web.ports.0 must be a number, string or mapping", ""},
      {R"({"services":{"web":{"ports":[{"target":80,"publishd":"8080"}]}}})", "/services/web/ports/0/publishd",
       "services.web.ports.0 Additional property publishd is not allowed (did you mean 'published'?)", "published"},
      {R"({"services":{"web":{"ports":["80","80"]}}})", "/services/web/ports",
       "services.web.ports array items[0,1] must be unique", ""},
      {R"({"services":{"web":{"environment":5}}})", "/services/web/environment",
       "services.web.environment must be a mapping or list", ""},
      {R"({"services":{"web":{"environment":{"A":["x"]}}}})", "/services/web/environment/A",
       "services.web.environment.A must be a string, number, boolean or null", ""},
      {R"({"services":{"web":{"environment":["A=1",{"B":2}]}}})", "/services/web/environment/1",
       "services.web.environment.1 must be a string", ""},
      {R"({"services":{"web":{"imagee":"nginx"}}})", "/services/web/imagee",
       "services.web Additional property imagee is not allowed (did you mean 'image'?)", "image"},
      {R"({"services":{"web":{"enviroment":{}}}})", "/services/web/enviroment",
       "services.web Additional property enviroment is not allowed (did you mean 'environment'?)", "environment"},
      {R"({"service":{"web":{}}})", "/service",
       "(root) Additional property service is not allowed (did you mean 'services'?)", "services"},
      {R"({"helicopters":{}})", "/helicopters", "(root) Additional property helicopters is not allowed", ""},
      {R"({"services":{"web app":{}}})", "/services/web app",
       "services Additional property web app is not allowed (keys must match '^[a-zA-Z0-9._-]+$')", ""},
      {R"({"services":{"web":null}})", "/services/web", "services.web must be a mapping", ""},
      {R"({"services":[]})", "/services", "services must be a mapping", ""},
      {R"({"services":{"web":{"depends_on":{"db":{"condition":"service_up"}}}}})",
       "/services/web/depends_on/db/condition",
       R"(services.web.depends_on.db.condition must be one of the following: "service_started", "service_healthy", "service_completed_successfully")",
       ""},
      {R"({"services":{"web":{"depends_on":{"db":{"conditon":"service_started"}}}}})",
       "/services/web/depends_on/db", "services.web.depends_on.db condition is required", ""},
      {R"({"services":{"web":{"depends_on":{"db":{"condition":"service_started","restrat":true}}}}})",
       "/services/web/depends_on/db/restrat",
       "services.web.depends_on.db Additional property restrat is not allowed (did you mean 'restart'?)",
       "restart"},
      {R"({"services":{"web":{"volumes":[{"source":"a","target":"/a"}]}}})", "/services/web/volumes/0",
       "services.web.volumes.0 type is required", ""},
      {R"({"services":{"web":{"ulimits":{"nofile":{"soft":1}}}}})", "/services/web/ulimits/nofile",
       "services.web.ulimits.nofile hard is required", ""},
      {R"({"services":{"web":{"pull_policy":"sometimes"}}})", "/services/web/pull_policy",
       "services.web.pull_policy Does not match pattern "
       "'always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+'",
       ""},
      {R"({"services":{"web":{"command":5}}})", "/services/web/command",
       "services.web.command must be a null, string or list", ""},
      {R"({"services":{"web":{"deploy":{"resources":{"limits":{"cpus":true}}}}}})",
       "/services/web/deploy/resources/limits/cpus",
       "services.web.deploy.resources.limits.cpus must be a number or string", ""},
      {R"({"services":{"web":{"healthcheck":{"test":["CMD",1]}}}})", "/services/web/healthcheck/test/1",
       "services.web.healthcheck.test.1 must be a string", ""},
      {R"({"volumes":{"data":{"drivr":"local"}}})", "/volumes/data/drivr",
       "volumes.data Additional property drivr is not allowed (did you mean 'driver'?)", "driver"},
      {R"({"networks":{"front":"bridge"}})", "/networks/front", "networks.front must be a mapping or null", ""},
      {R"({"services":{"web":{"build":{"context":".","x-ok":1,"dockerfil":"D"}}}})",
       "/services/web/build/dockerfil",
       "services.web.build Additional property dockerfil is not allowed (did you mean 'dockerfile'?)",
       "dockerfile"},
      {R"({"services":{"web":{"build":5}}})", "/services/web/build", "services.web.build must be a string or mapping",
       ""},
      {R"({"name":5})", "/name", "name must be a string", ""},
      {R"({"services":{"web":{"networks":{"front":5}}}})", "/services/web/networks/front",
       "services.web.networks.front must be a mapping or null", ""},
      {R"({"services":{"web":{"depends_on":"db"}}})", "/services/web/depends_on",
       "services.web.depends_on must be a list or mapping", ""},
      {R"({"services":{"web":{"scale":"x","ulimits":{"nofile":true}}}})", "/services/web/ulimits/nofile",
       "services.web.ulimits.nofile must be an integer, string or mapping", ""},
      {R"({"services":{"web":{"extends":{"service":"base","x-foo":1}}}})", "/services/web/extends/x-foo",
       "services.web.extends Additional property x-foo is not allowed", ""},
      {R"({"services":{"web":{"volumes":[{"type":"bindd","target":"/a"}]}}})", "/services/web/volumes/0/type",
       R"(services.web.volumes.0.type must be one of the following: "bind", "volume", "tmpfs", "cluster", "npipe", "image")",
       ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.project);
    auto errors = compose_spec().validate(json::parse(c.project));
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().pointer() == c.pointer);
    CHECK(errors.front().message == c.message);
    CHECK(errors.front().suggestion == c.suggestion);
    CHECK_FALSE(compose_spec().is_valid(json::parse(c.project)));
  }
}

TEST_CASE("compose spec: independent errors are all reported in key order", "[schema]") {
  auto errors = compose_spec().validate(json::parse(R"({
      "services":{"a":{"imag":"x"},"b":{"ports":80}},"volumez":{}})"));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].dotted() == "services.a.imag");
  CHECK(errors[1].dotted() == "services.b.ports");
  CHECK(errors[2].dotted() == "volumez");
}

namespace {

json big_project(std::size_t services) {
  json project = {{"name", "big"}, {"services", json::object()}, {"networks", {{"front", nullptr}}},
                  {"volumes", {{"data", nullptr}}}};
  for (std::size_t i = 0; i < services; ++i) {
    std::string name = "svc-" + std::to_string(i);
    project["services"][name] = json::parse(R"({
        "image":"example/app:1.2.3",
        "command":["serve","--port","8080"],
        "ports":["8080:80",{"target":443,"published":"8443"}],
        "environment":{"A":"1","B":"two","C":3,"D":null},
        "labels":{"com.example.team":"core"},
        "volumes":["data:/data",{"type":"bind","source":"./conf","target":"/conf","read_only":true}],
        "depends_on":{"db":{"condition":"service_healthy"}},
        "healthcheck":{"test":["CMD","true"],"interval":"10s","timeout":"2s","retries":3},
        "deploy":{"resources":{"limits":{"cpus":"0.5","memory":"256M"}}},
        "networks":["front"],
        "restart":"unless-stopped",
        "x-meta":{"owner":"me"}})");
  }
  return project;
}

}  // namespace

// Validation speed is part of bench/config_bench.sh (no timed assertions in
// tests); this checks that a large project validates, and that errors deep
// in it are all found.
TEST_CASE("compose spec: a 200-service project validates", "[schema]") {
  auto project = big_project(200);
  REQUIRE(compose_spec().validate(project).empty());

  SECTION("an invalid big project reports each of its errors") {
    project["services"]["svc-7"]["ports"] = 80;
    project["services"]["svc-150"]["imagee"] = "x";
    auto errors = compose_spec().validate(project);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].dotted() == "services.svc-150.imagee");
    CHECK(errors[1].dotted() == "services.svc-7.ports");
  }
}
