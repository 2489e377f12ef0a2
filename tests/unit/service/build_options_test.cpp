// How a service's build section becomes the engine's POST /build options:
// every option the classic builder has, --build-arg overrides, and the
// options it cannot do refused by name before anything is sent.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unistd.h>
#include <nlohmann/json.hpp>

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
  return model::Project::from_json(doc, json::array());
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
      {"secrets", json::array({"token"}), "build.secrets needs BuildKit"},
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
