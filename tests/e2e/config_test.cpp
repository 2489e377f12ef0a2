#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

using namespace berth::e2e;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A project directory with one compose file, removed afterwards.
struct Project {
  fs::path dir;
  fs::path file;
  explicit Project(const std::string& compose) {
    dir = fs::temp_directory_path() / unique_name("config");
    fs::create_directories(dir);
    file = dir / "compose.yaml";
    std::ofstream(file) << compose;
  }
  ~Project() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::vector<std::string> args(std::vector<std::string> rest) const {
    std::vector<std::string> out = {"-f", file.string(), "--project-directory", dir.string()};
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
  }
};

const char* kCompose = R"(name: e2econfig
services:
  web:
    image: busybox
    command: sh -c 'echo $$HOME; sleep infinity'
    ports: ["127.0.0.1:8080:80"]
    volumes: ["./data:/data:ro"]
    depends_on: [db]
    environment: [MODE=test]
  db:
    image: busybox
    mem_limit: 64m
    healthcheck:
      test: ["CMD", "true"]
      interval: 90s
  debug:
    image: busybox
    profiles: [debug]
volumes:
  unused: {}
)";

}  // namespace

TEST_CASE("berth config prints canonical YAML that reads back to the same project", "[config]") {
  Project p(kCompose);
  auto yaml = run_berth(p.args({"config"}));
  REQUIRE(yaml.exit_code == 0);
  CHECK(yaml.out.rfind("name: e2econfig\nservices:\n", 0) == 0);
  CHECK(yaml.out.find("published: \"8080\"") != std::string::npos);
  CHECK(yaml.out.find("source: " + (p.dir / "data").string()) != std::string::npos);

  auto first = run_berth(p.args({"config", "--format", "json"}));
  REQUIRE(first.exit_code == 0);
  auto again = run_berth({"-f", "-", "--project-directory", p.dir.string(), "config", "--format", "json"}, yaml.out);
  REQUIRE(again.exit_code == 0);
  CHECK(json::parse(again.out) == json::parse(first.out));
  json doc = json::parse(first.out);
  // Byte sizes print as docker compose prints them: decimal strings.
  CHECK(doc["services"]["db"]["mem_limit"] == "67108864");
  CHECK(yaml.out.find("mem_limit: \"67108864\"\n") != std::string::npos);
  CHECK(doc["services"]["web"]["command"][2] == "echo $$HOME; sleep infinity");  // the value $HOME, printed escaped
  CHECK(doc["services"]["db"]["healthcheck"]["interval"] == "1m30s");
  CHECK_FALSE(doc["services"].contains("debug"));
}

TEST_CASE("berth config errors name file:line:col and exit 1", "[config]") {
  Project p("services:\n  web:\n    image: busybox\n    ports:\n      - \"80:http\"\n");
  auto r = run_berth(p.args({"config"}));
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find(p.file.string() + ":5:9: services.web.ports.0: invalid container port \"http\"") != std::string::npos);

  Project undefined("services:\n  web:\n    image: busybox\n    depends_on: [nope]\n");
  auto u = run_berth(undefined.args({"config"}));
  CHECK(u.exit_code == 1);
  CHECK(u.err.find("service \"web\" depends on undefined service \"nope\"") != std::string::npos);
  CHECK(run_berth(undefined.args({"config", "--no-consistency", "-q"})).exit_code == 0);
}

// The schema's std::regex patterns are compiled when a file first uses them.
TEST_CASE("berth config checks pull_policy and container_name against the schema's patterns", "[config]") {
  Project ok("services:\n  web:\n    image: busybox\n    pull_policy: every_12h\n    container_name: web-1\n");
  CHECK(run_berth(ok.args({"config", "-q"})).exit_code == 0);

  Project bad("services:\n  web:\n    image: busybox\n    pull_policy: sometimes\n");
  auto r = run_berth(bad.args({"config", "-q"}));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(bad.file.string() + ":4:18: services.web.pull_policy Does not match pattern") != std::string::npos);
}

TEST_CASE("berth config listing flags", "[config]") {
  Project p(kCompose);
  struct Case {
    std::vector<std::string> flags;
    std::string out;
  };
  const Case cases[] = {
      {{"-q"}, ""},
      {{"--services"}, "db\nweb\n"},
      {{"--volumes"}, ""},  // no service uses it: left out, as docker compose does
      {{"--all-resources", "--volumes"}, "unused\n"},
      {{"--networks"}, "default\n"},
      {{"--profiles"}, "debug\n"},
      {{"--images"}, "busybox\nbusybox\n"},
      {{"--profile", "debug", "--services"}, "db\ndebug\nweb\n"},
      {{"--images", "--services"}, "db\nweb\n"},  // several: docker compose's order decides
      {{"--no-interpolate", "--networks"}, "default\n"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"config"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    if (args[1] == "--all-resources") std::swap(args[0], args[1]);  // a global flag
    INFO(args.back());
    auto r = run_berth(p.args(args));
    CHECK(r.exit_code == 0);
    CHECK(r.out == c.out);
  }
}

TEST_CASE("berth config --hash prints stable hashes", "[config]") {
  Project p(kCompose);
  auto all = run_berth(p.args({"config", "--hash", "*"}));
  REQUIRE(all.exit_code == 0);
  auto one = run_berth(p.args({"config", "--hash", "web"}));
  REQUIRE(one.exit_code == 0);
  CHECK(one.out.rfind("web ", 0) == 0);
  CHECK(one.out.size() == std::string("web ").size() + 64 + 1);
  CHECK(all.out.find(one.out) != std::string::npos);
  CHECK(run_berth(p.args({"config", "--hash", "web"})).out == one.out);
  CHECK(run_berth(p.args({"config", "--hash", "nope"})).exit_code == 1);
}

TEST_CASE("berth config -o writes the file and --resolve-image-digests is refused", "[config]") {
  Project p(kCompose);
  fs::path out = p.dir / "out.json";
  auto r = run_berth(p.args({"config", "--format", "json", "-o", out.string()}));
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  std::ifstream in(out);
  json doc = json::parse(in);
  CHECK(doc["name"] == "e2econfig");

  auto refused = run_berth(p.args({"config", "--resolve-image-digests"}));
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("not supported") != std::string::npos);
}

TEST_CASE("berth config SERVICE prints that service and its dependencies", "[config]") {
  Project p(kCompose);
  auto r = run_berth(p.args({"config", "--format", "json", "web"}));
  REQUIRE(r.exit_code == 0);
  json doc = json::parse(r.out);
  CHECK(doc["services"].size() == 2);
  CHECK(doc["services"].contains("db"));

  auto debug = run_berth(p.args({"config", "--format", "json", "debug"}));
  REQUIRE(debug.exit_code == 0);
  CHECK(json::parse(debug.out)["services"].contains("debug"));  // named: enabled despite its profile

  auto unresolved = run_berth(p.args({"config", "--format", "json", "--no-path-resolution"}));
  REQUIRE(unresolved.exit_code == 0);
  CHECK(json::parse(unresolved.out)["services"]["web"]["volumes"][0]["source"] == "./data");
}

TEST_CASE("berth config --variables lists the variables of every file, with --env's files too", "[config]") {
  Project p("services:\n  web:\n    image: \"busybox:${TAG:-latest}\"\n    environment: [\"DB=${DB:?set DB}\"]\n"
            "x-berth:\n  environments:\n    dev: {files: [dev.yml]}\n");
  std::ofstream(p.dir / "dev.yml") << "services:\n  web:\n    environment: [\"MODE=${MODE:-dev}\"]\n";

  auto plain = run_berth(p.args({"config", "--variables"}));
  INFO(plain.err);
  REQUIRE(plain.exit_code == 0);
  CHECK_THAT(plain.out, Catch::Contains("NAME"));
  CHECK_THAT(plain.out, Catch::Contains("ALTERNATE VALUE"));
  CHECK_THAT(plain.out, Catch::Contains("TAG"));
  CHECK_THAT(plain.out, Catch::Contains("latest"));
  CHECK_THAT(plain.out, Catch::Contains("DB "));
  CHECK_THAT(plain.out, !Catch::Contains("MODE"));

  auto dev = run_berth(p.args({"--env", "dev", "config", "--variables"}));
  INFO(dev.err);
  REQUIRE(dev.exit_code == 0);
  CHECK_THAT(dev.out, Catch::Contains("MODE"));
  CHECK_THAT(dev.out, Catch::Contains("TAG"));
}

// Inspired by real compose files: sentry's `platform: ${DOCKER_PLATFORM:-}`,
// immich's `healthcheck: {disable: false}`, pi-hole's `/etc/pihole/` mount,
// a hardened relay's `cpus: 1.0`. Printed as docker compose prints them.
TEST_CASE("berth config prints zero values, floats, absolute paths and unset commands as docker compose does",
          "[config][omitempty]") {
  Project p(R"(name: e2egoform
services:
  web:
    image: busybox
    platform: ${NO_SUCH_PLATFORM:-}
    tty: false
    cpus: 1.0
    healthcheck:
      disable: false
    volumes:
      - /srv/pihole/:/etc/pihole/
      - type: bind
        source: ./data
        target: /data
        read_only: false
  cleared:
    image: busybox
    entrypoint: []
    read_only: false
)");
  auto yaml = run_berth(p.args({"config"}));
  REQUIRE(yaml.exit_code == 0);
  CHECK_THAT(yaml.out, !Catch::Contains("platform"));
  CHECK_THAT(yaml.out, !Catch::Contains("tty"));
  CHECK_THAT(yaml.out, !Catch::Contains("disable"));
  CHECK_THAT(yaml.out, Catch::Contains("    cpus: 1\n"));
  CHECK_THAT(yaml.out, Catch::Contains("source: /srv/pihole/\n"));
  CHECK_THAT(yaml.out, Catch::Contains("    entrypoint: []\n"));
  CHECK_THAT(yaml.out, Catch::Contains("    read_only: false\n"));  // the policy's explicit opt-out, kept

  auto first = run_berth(p.args({"config", "--format", "json"}));
  REQUIRE(first.exit_code == 0);
  json doc = json::parse(first.out);
  CHECK(doc["services"]["web"]["command"].is_null());
  CHECK(doc["services"]["web"]["entrypoint"].is_null());
  CHECK(doc["services"]["cleared"]["entrypoint"] == json::array());
  CHECK(doc["services"]["web"]["healthcheck"] == json::object());
  CHECK_FALSE(doc["services"]["web"]["volumes"][1].contains("read_only"));
  for (const auto& printed : {yaml.out, first.out}) {
    auto again = run_berth({"-f", "-", "--project-directory", p.dir.string(), "config", "--format", "json"}, printed);
    REQUIRE(again.exit_code == 0);
    CHECK(json::parse(again.out) == doc);
  }
}

TEST_CASE("berth config gives the same output from its parse cache as from parsing", "[config]") {
  std::string compose = "x-base: &base\n  restart: always\nservices:\n";
  for (int i = 0; i < 120; ++i)
    compose += "  svc" + std::to_string(i) + ":\n    <<: *base\n    image: \"busybox:${TAG:-" + std::to_string(i) +
               "}\"\n    user: !reset null\n    environment: {A: '1', B: x y}\n";
  REQUIRE(compose.size() >= 8 * 1024);  // only files this large are cached
  Project p(compose);
  const std::string cache_dir = (p.dir / "cache").string();
  const std::vector<std::string> with_cache = {"BERTH_CACHE_DIR=" + cache_dir};

  auto parsed = run_berth(p.args({"config"}), "", {"BERTH_NO_CACHE=1"});
  REQUIRE(parsed.exit_code == 0);
  CHECK_FALSE(fs::exists(cache_dir));
  auto first = run_berth(p.args({"config"}), "", with_cache);  // parses, fills the cache
  REQUIRE(first.exit_code == 0);
  REQUIRE(fs::exists(fs::path(cache_dir) / "yaml"));
  CHECK(std::distance(fs::directory_iterator(fs::path(cache_dir) / "yaml"), fs::directory_iterator()) == 1);
  auto cached = run_berth(p.args({"config"}), "", with_cache);  // from the cache
  REQUIRE(cached.exit_code == 0);
  CHECK(first.out == parsed.out);
  CHECK(cached.out == parsed.out);
  CHECK_THAT(cached.out, Catch::Contains("busybox:119"));

  // An edit is seen at once; a broken file is reported by the parser again.
  std::ofstream(p.file) << compose << "  late: {image: busybox}\n";
  CHECK_THAT(run_berth(p.args({"config", "--services"}), "", with_cache).out, Catch::Contains("late"));
  std::ofstream(p.file) << compose << "services: {}\n";
  auto broken = run_berth(p.args({"config"}), "", with_cache);
  CHECK(broken.exit_code == 1);
  CHECK_THAT(broken.err, Catch::Contains("compose.yaml:"));
}
