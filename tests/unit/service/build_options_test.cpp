// How a service's build section becomes the engine's POST /build options:
// every option the classic builder has (these projects ask for it with
// DOCKER_BUILDKIT=0), --build-arg overrides, and the options it cannot do
// refused by name before anything is sent; then what BuildKit builds add.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "berth/builder/classic_build.h"
#include "berth/service/images.h"
#include "berth/model/project.h"
#include "berth/ui/progress.h"
#include "berth/util/error.h"
#include "../exec/fake_engine.h"
#include "service/image_builds.h"
#include "service/session.h"

using namespace berth;
using nlohmann::json;

namespace {

// Records each build's options and drains its context as the engine would.
class BuilderEngine : public test::FakeEngine {
 public:
  std::vector<engine::BuildOptions> builds;
  engine::VersionInfo version() override {
    engine::VersionInfo v;
    v.os = "linux";
    v.arch = "amd64";
    return v;
  }
  std::string build_image(const engine::BuildOptions& options, const engine::BodySource& context,
                          const engine::ProgressSink&, engine::CancelToken*) override {
    std::string chunk;
    while (context(chunk)) {
    }
    std::lock_guard lock(mutex_);
    builds.push_back(options);
    return "sha256:built";
  }

 private:
  std::mutex mutex_;
};

struct ContextDir {
  std::filesystem::path dir;
  ContextDir() {
    dir = std::filesystem::temp_directory_path() / ("berth-build-options-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "Dockerfile") << "FROM scratch\n";
  }
  ~ContextDir() { std::filesystem::remove_all(dir); }
};

model::Project project_with_build(const json& build) {
  json doc = {{"name", "demo"}, {"services", {{"app", {{"build", build}}}}}};
  auto project = model::Project::from_json(doc, json::array());
  project.environment["DOCKER_BUILDKIT"] = "0";
  return project;
}

class SilentProgress : public ui::ProgressSink {
 public:
  void event(const ui::ProgressEvent&) override {}
  void message(const std::string&) override {}
};

struct Run {
  BuilderEngine engine;
  SilentProgress progress;
  service::RunContext ctx{engine, progress};
};

}  // namespace

TEST_CASE("build options: every classic builder option reaches POST /build", "[exec][build]") {
  ContextDir context;
  json build = {{"context", context.dir.string()},
                {"dockerfile", "Dockerfile"},
                {"args", {{"VERSION", "1.0"}, {"OVERRIDDEN", "from-file"}}},
                {"target", "runtime"},
                {"labels", {{"org.example.team", "berth"}}},
                {"tags", {"registry.local/app:1", "demo-app"}},
                {"network", "none"},
                {"extra_hosts", {"db=10.0.0.5", "cache:10.0.0.6"}},
                {"shm_size", "64m"},
                {"cache_from", {"demo-app:cache"}},
                {"no_cache", true},
                {"pull", true},
                {"platforms", {"linux/amd64"}},
                {"ulimits", {{"nofile", {{"soft", 1000}, {"hard", 2000}}}, {"nproc", 500}}}};
  Run run;
  service::BuildOptions options;
  options.overrides.build_args = {{"OVERRIDDEN", "from-flag"}};
  service::build_images(project_with_build(build), options, run.ctx);

  REQUIRE(run.engine.builds.size() == 1);
  const auto& r = run.engine.builds[0];
  CHECK(r.dockerfile == "Dockerfile");
  CHECK(r.build_args == std::map<std::string, std::string>{{"VERSION", "1.0"}, {"OVERRIDDEN", "from-flag"}});
  CHECK(r.target == "runtime");
  CHECK(r.labels.at("org.example.team") == "berth");
  CHECK(r.labels.at("com.docker.compose.project") == "demo");
  CHECK(r.labels.at("com.docker.compose.service") == "app");
  // The service's image first, each tag once.
  CHECK(r.tags == std::vector<std::string>{"demo-app", "registry.local/app:1"});
  CHECK(r.network_mode == "none");
  CHECK(r.extra_hosts == std::vector<std::string>{"db:10.0.0.5", "cache:10.0.0.6"});
  CHECK(r.shm_size == 64 * 1024 * 1024);
  CHECK(r.cache_from == std::vector<std::string>{"demo-app:cache"});
  CHECK(r.no_cache);
  CHECK(r.pull);
  CHECK(r.force_remove_intermediate);
  REQUIRE(r.ulimits.size() == 2);
  CHECK(r.ulimits[0].name == "nofile");
  CHECK(r.ulimits[0].soft == 1000);
  CHECK(r.ulimits[0].hard == 2000);
  CHECK(r.ulimits[1].name == "nproc");
  CHECK(r.ulimits[1].soft == 500);
  CHECK(r.ulimits[1].hard == 500);
}

TEST_CASE("build options: --no-cache and --pull turn the options on for every service", "[exec][build]") {
  ContextDir context;
  Run run;
  service::BuildOptions options;
  options.overrides.no_cache = true;
  options.overrides.pull = true;
  service::build_images(project_with_build({{"context", context.dir.string()}, {"dockerfile", "Dockerfile"}}), options, run.ctx);
  REQUIRE(run.engine.builds.size() == 1);
  CHECK(run.engine.builds[0].no_cache);
  CHECK(run.engine.builds[0].pull);
  CHECK(run.engine.builds[0].ulimits.empty());
  CHECK(run.engine.builds[0].shm_size == 0);
}

TEST_CASE("build options: what the classic builder cannot do is refused by name", "[exec][build]") {
  ContextDir context;
  const json base = {{"context", context.dir.string()}, {"dockerfile", "Dockerfile"}};
  struct Refused {
    std::string key;
    json value;
    std::string expected;
  };
  const std::vector<Refused> cases = {
      {"secrets", json::array({"token"}), "build.secrets needs BuildKit: this build uses the engine's classic builder"},
      {"ssh", json::array({"default"}), "build.ssh needs BuildKit"},
      {"cache_to", json::array({"type=local,dest=/tmp/c"}), "build.cache_to needs BuildKit"},
      {"additional_contexts", {{"lib", "../lib"}}, "build.additional_contexts needs BuildKit"},
      {"entitlements", json::array({"network.host"}), "build.entitlements needs BuildKit"},
      {"no_cache_filter", json::array({"builder"}), "build.no_cache_filter needs BuildKit"},
      {"privileged", true, "build.privileged needs BuildKit"},
      {"sbom", true, "build.sbom needs BuildKit"},
      {"provenance", true, "build.provenance needs BuildKit"},
      {"isolation", "hyperv", "build.isolation \"hyperv\" is not supported"},
      {"platforms", json::array({"linux/amd64", "linux/arm64"}), "build.platforms lists linux/arm64"},
  };
  for (const auto& c : cases) {
    INFO(c.key);
    json build = base;
    build[c.key] = c.value;
    Run run;
    try {
      service::build_images(project_with_build(build), {}, run.ctx);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Config);
      CHECK_THAT(e.message(), Catch::Contains("service \"app\"") && Catch::Contains(c.expected));
    }
    CHECK(run.engine.builds.empty());
  }
}

namespace {

model::Project buildkit_project(const json& build, const json& secrets = json::object()) {
  json doc = {{"name", "demo"}, {"services", {{"app", {{"build", build}}}}}, {"secrets", secrets}};
  auto project = model::Project::from_json(doc, json::array());
  project.working_dir = "/project";
  return project;
}

const auto no_platform = [] { return std::string("linux/amd64"); };

}  // namespace

TEST_CASE("build options: BuildKit jobs carry secrets, SSH ids and the inline cache", "[exec][build][buildkit]") {
  ContextDir context;
  std::ofstream(context.dir / "token.txt") << "value";
  const json build = {{"context", context.dir.string()},
                      {"dockerfile", "Dockerfile"},
                      {"secrets", json::array({{{"source", "token"}}, {{"source", "api"}, {"target", "api_key"}}})},
                      {"ssh", json::array({"default", "deploy=keys/id_deploy,/abs/other"})},
                      {"cache_to", json::array({"type=inline"})}};
  const json secrets = {{"token", {{"file", (context.dir / "token.txt").string()}}},
                        {"api", {{"environment", "API_KEY"}}}};
  auto project = buildkit_project(build, secrets);
  project.environment["API_KEY"] = "from-env";
  builder::BuildOverrides overrides;
  overrides.ssh = {"extra"};
  auto job = builder::build_job(project, project.services[0], overrides, builder::Builder::BuildKit, no_platform);
  CHECK(job.request.buildkit);
  CHECK(job.request.build_args.at("BUILDKIT_INLINE_CACHE") == "1");
  REQUIRE(job.secrets.size() == 2);
  CHECK(job.secrets[0].id == "token");
  CHECK(job.secrets[0].file == (context.dir / "token.txt").string());
  CHECK(job.secrets[1].id == "api_key");
  CHECK(job.secrets[1].environment == "API_KEY");
  CHECK(job.secrets[1].value == "from-env");
  REQUIRE(job.ssh.size() == 3);
  CHECK(job.ssh[0].id == "default");
  CHECK(job.ssh[0].paths.empty());
  CHECK(job.ssh[1].id == "deploy");
  CHECK(job.ssh[1].paths == std::vector<std::string>{"/project/keys/id_deploy", "/abs/other"});
  CHECK(job.ssh[2].id == "extra");

  struct Refused {
    std::string key;
    json value;
    std::string expected;
  };
  const std::vector<Refused> cases = {
      {"additional_contexts", {{"lib", "../lib"}}, "build.additional_contexts is not supported"},
      {"entitlements", json::array({"network.host"}), "build.entitlements is not supported"},
      {"privileged", true, "build.privileged is not supported"},
      {"no_cache_filter", json::array({"builder"}), "build.no_cache_filter is not supported"},
      {"sbom", true, "build.sbom is not supported"},
      {"cache_to", json::array({"type=local,dest=/tmp/c"}), "only type=inline"},
      {"network", "mynet", "build.network \"mynet\" is not supported by BuildKit"},
      {"secrets", json::array({"nosuch"}), "build.secrets names \"nosuch\""},
  };
  for (const auto& c : cases) {
    INFO(c.key);
    json refused = {{"context", context.dir.string()}, {c.key, c.value}};
    auto p = buildkit_project(refused);
    CHECK_THROWS_WITH(builder::build_job(p, p.services[0], {}, builder::Builder::BuildKit, no_platform),
                      Catch::Contains("service \"app\"") && Catch::Contains(c.expected));
  }
  // A secret that cannot be read is an error before the build, naming it.
  std::filesystem::remove(context.dir / "token.txt");
  auto missing = buildkit_project(build, secrets);
  missing.environment["API_KEY"] = "x";
  CHECK_THROWS_WITH(builder::build_job(missing, missing.services[0], {}, builder::Builder::BuildKit, no_platform),
                    Catch::Contains("build secret \"token\": file"));
  auto unset = buildkit_project({{"context", context.dir.string()}, {"secrets", json::array({"api"})}}, secrets);
  CHECK_THROWS_WITH(builder::build_job(unset, unset.services[0], {}, builder::Builder::BuildKit, no_platform),
                    Catch::Contains("environment variable API_KEY is not set"));
}

TEST_CASE("build options: which builder a service gets", "[exec][build][buildkit]") {
  auto service_json = [](const json& extra) {
    json s = {{"build", {{"context", "."}}}};
    if (extra.is_object()) s.update(extra);
    return s;
  };
  struct Case {
    std::string name;
    json service;
    std::map<std::string, std::string> env;
    builder::EngineBuildKit engine;
    builder::Builder expected;
    std::string note_or_error;  // a note when it falls back, an error when it throws
  };
  const builder::EngineBuildKit modern{true, true}, old{true, false}, none{false, false};
  const json limits = {{"build", {{"context", "."}, {"shm_size", 1024}}}};
  const std::vector<Case> cases = {
      {"default with BuildKit", service_json({}), {}, modern, builder::Builder::BuildKit, ""},
      {"engine without BuildKit", service_json({}), {}, none, builder::Builder::Classic, ""},
      {"DOCKER_BUILDKIT=0", service_json({}), {{"DOCKER_BUILDKIT", "0"}}, modern, builder::Builder::Classic, ""},
      {"DOCKER_BUILDKIT=false", service_json({}), {{"DOCKER_BUILDKIT", "false"}}, modern, builder::Builder::Classic, ""},
      {"x-berth classic", service_json({{"x-berth", {{"builder", "classic"}}}}), {}, modern, builder::Builder::Classic, ""},
      {"x-berth buildkit over DOCKER_BUILDKIT=0", service_json({{"x-berth", {{"builder", "buildkit"}}}}),
       {{"DOCKER_BUILDKIT", "0"}}, modern, builder::Builder::BuildKit, ""},
      {"limits an old BuildKit ignores", limits, {}, old, builder::Builder::Classic, "build.shm_size would be ignored"},
      {"limits a new BuildKit takes", limits, {}, modern, builder::Builder::BuildKit, ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    json doc = {{"name", "demo"}, {"services", {{"app", c.service}}}};
    auto project = model::Project::from_json(doc, json::array());
    auto choice = builder::choose_builder(project.services[0], c.env, c.engine);
    CHECK(choice.builder == c.expected);
    CHECK_THAT(choice.note, Catch::Contains(c.note_or_error));
  }
  const std::vector<Case> errors = {
      {"asked for, engine has none", service_json({}), {{"DOCKER_BUILDKIT", "1"}}, none, {}, "the engine has none"},
      {"asked for, limits ignored", limits, {{"DOCKER_BUILDKIT", "1"}}, old, {}, "DOCKER_BUILDKIT=0"},
      {"bad x-berth.builder", service_json({{"x-berth", {{"builder", "fast"}}}}), {}, modern, {},
       "x-berth.builder must be classic or buildkit"},
  };
  for (const auto& c : errors) {
    INFO(c.name);
    json doc = {{"name", "demo"}, {"services", {{"app", c.service}}}};
    auto project = model::Project::from_json(doc, json::array());
    CHECK_THROWS_WITH(builder::choose_builder(project.services[0], c.env, c.engine), Catch::Contains(c.note_or_error));
  }
}
