// pull_images and push_images against a scripted engine: which services'
// images move (docker compose's rules), layer progress, failures that name
// the service, and the refresh policies.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "berth/service/images.h"
#include "berth/model/project.h"
#include "berth/ui/progress.h"
#include "../exec/fake_engine.h"
#include "service/image_builds.h"
#include "service/session.h"

using namespace berth;
using nlohmann::json;

namespace {

class RegistryEngine : public test::FakeEngine {
 public:
  std::map<std::string, std::string> last_tag_time;  // present images -> Metadata.LastTagTime
  std::map<std::string, std::string> fail;           // image -> pull/push error
  std::vector<engine::ProgressMessage> stream;       // sent to every pull's sink

  std::vector<std::string> transfers() {
    std::lock_guard lock(log_mutex_);
    auto out = log_;
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> auth_headers() {
    std::lock_guard lock(log_mutex_);
    return auths_;
  }

  nlohmann::json inspect_image(const std::string& name) override {
    auto it = last_tag_time.find(name);
    if (it == last_tag_time.end()) throw Error(ErrorKind::NotFound, "No such image: " + name);
    return {{"Id", "sha256:" + name}, {"Metadata", {{"LastTagTime", it->second}}}};
  }
  void pull_image(const std::string& reference, const engine::PullOptions& options,
                  const engine::ProgressSink& progress, engine::CancelToken*) override {
    transfer("pull " + reference, options.registry_auth);
    if (auto it = fail.find(reference); it != fail.end()) throw Error(ErrorKind::NotFound, it->second);
    if (progress)
      for (const auto& m : stream) progress(m);
  }
  void push_image(const std::string& reference, const std::string& registry_auth, const engine::ProgressSink&,
                  engine::CancelToken*) override {
    transfer("push " + reference, registry_auth);
    if (auto it = fail.find(reference); it != fail.end()) throw Error(ErrorKind::Engine, it->second);
  }

 private:
  void transfer(const std::string& call, const std::string& auth) {
    std::lock_guard lock(log_mutex_);
    log_.push_back(call);
    auths_.push_back(auth);
  }
  std::mutex log_mutex_;
  std::vector<std::string> log_, auths_;
};

class RecordingProgress : public ui::ProgressSink {
 public:
  void event(const ui::ProgressEvent& e) override {
    std::lock_guard lock(mutex_);
    lines.push_back((e.parent.empty() ? "" : e.parent + " > ") + e.resource + " " + e.status +
                    (e.detail.empty() ? "" : " (" + e.detail + ")"));
  }
  void message(const std::string& text) override {
    std::lock_guard lock(mutex_);
    messages.push_back(text);
  }
  bool has(const std::string& line) const { return std::find(lines.begin(), lines.end(), line) != lines.end(); }
  std::vector<std::string> lines, messages;

 private:
  std::mutex mutex_;
};

// Credentials come from $DOCKER_CONFIG: point it at a directory of the
// test's own so the machine's ~/.docker/config.json plays no part.
struct DockerConfigDir {
  std::filesystem::path dir;
  explicit DockerConfigDir(const std::string& config_json = "") {
    dir = std::filesystem::temp_directory_path() / ("berth-pull-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "config.json") << config_json;
    ::setenv("DOCKER_CONFIG", dir.c_str(), 1);
  }
  ~DockerConfigDir() {
    ::unsetenv("DOCKER_CONFIG");
    std::filesystem::remove_all(dir);
  }
};

model::Project project_of(const json& services) {
  json doc = {{"name", "demo"}, {"services", services}};
  return model::Project::from_json(doc, json::array());
}

const json kBuild = {{"context", "."}, {"dockerfile", "Dockerfile"}};

struct Run {
  RegistryEngine engine;
  RecordingProgress progress;
  service::RunContext ctx{engine, progress};
};

}  // namespace

TEST_CASE("pull follows each service's pull_policy as docker compose's pull does", "[exec][pull]") {
  DockerConfigDir config;
  Run run;
  run.engine.last_tag_time = {{"r/present:1", "2026-01-01T00:00:00Z"}, {"r/missing-present:1", "2026-01-01T00:00:00Z"}};
  auto project = project_of({
      {"always", {{"image", "r/always:1"}, {"pull_policy", "always"}}},
      {"default", {{"image", "r/present:1"}}},
      {"never", {{"image", "r/never:1"}, {"pull_policy", "never"}}},
      {"build-policy", {{"image", "r/built:1"}, {"build", kBuild}, {"pull_policy", "build"}}},
      {"missing-present", {{"image", "r/missing-present:1"}, {"pull_policy", "missing"}}},
      {"missing-absent", {{"image", "r/missing-absent:1"}, {"pull_policy", "if_not_present"}}},
      {"daily", {{"image", "r/daily:1"}, {"pull_policy", "daily"}}},
      {"build-only", {{"build", kBuild}}},
      {"twin", {{"image", "r/always:1"}}},
  });
  service::pull_images(project, {}, run.ctx);
  CHECK(run.engine.transfers() ==
        std::vector<std::string>{"pull r/always:1", "pull r/daily:1", "pull r/missing-absent:1", "pull r/present:1"});
  CHECK(run.progress.has("Service build-only Skipped - No image to be pulled"));
  CHECK(run.progress.has("Image r/never:1 Skipped"));
  CHECK(run.progress.has("Image r/built:1 Skipped"));
  CHECK(run.progress.has("Image r/missing-present:1 Skipped - Image is already present locally"));
  CHECK(run.progress.has("Image r/always:1 Pulling"));
  CHECK(run.progress.has("Image r/always:1 Pulled"));
}

TEST_CASE("pull --policy overrides pull_policy, --ignore-buildable and services", "[exec][pull]") {
  DockerConfigDir config;
  auto project = project_of({
      {"web", {{"image", "r/web:1"}, {"build", kBuild}, {"depends_on", {{"db", {{"condition", "service_started"}, {"required", true}, {"restart", false}}}}}}},
      {"db", {{"image", "r/db:1"}, {"pull_policy", "never"}}},
      {"cache", {{"image", "r/cache:1"}}},
  });
  SECTION("missing skips present images, always pulls them") {
    Run run;
    run.engine.last_tag_time = {{"r/db:1", "2026-01-01T00:00:00Z"}};
    service::PullOptions options;
    options.policy = "missing";
    service::pull_images(project, options, run.ctx);
    CHECK(run.engine.transfers() == std::vector<std::string>{"pull r/cache:1", "pull r/web:1"});
    Run again;
    again.engine.last_tag_time = run.engine.last_tag_time;
    options.policy = "always";
    service::pull_images(project, options, again.ctx);
    CHECK(again.engine.transfers() == std::vector<std::string>{"pull r/cache:1", "pull r/db:1", "pull r/web:1"});
  }
  SECTION("--ignore-buildable") {
    Run run;
    service::PullOptions options;
    options.ignore_buildable = true;
    service::pull_images(project, options, run.ctx);
    CHECK(run.engine.transfers() == std::vector<std::string>{"pull r/cache:1"});
    CHECK(run.progress.has("Image r/web:1 Skipped - Image can be built"));
  }
  SECTION("named services, with and without their dependencies") {
    Run run;
    service::PullOptions options;
    options.services = {"web"};
    options.policy = "always";
    service::pull_images(project, options, run.ctx);
    CHECK(run.engine.transfers() == std::vector<std::string>{"pull r/web:1"});
    Run deps;
    options.include_deps = true;
    service::pull_images(project, options, deps.ctx);
    CHECK(deps.engine.transfers() == std::vector<std::string>{"pull r/db:1", "pull r/web:1"});
  }
  SECTION("dry run pulls nothing") {
    Run run;
    run.ctx.dry_run = true;
    service::pull_images(project, {}, run.ctx);
    CHECK(run.engine.transfers().empty());
    CHECK(std::find(run.progress.messages.begin(), run.progress.messages.end(),
                    "DRY-RUN pull image r/cache:1 for service cache") != run.progress.messages.end());
  }
}

TEST_CASE("pull failures name the service, buildable ones are warnings", "[exec][pull]") {
  DockerConfigDir config;
  auto project = project_of({
      {"api", {{"image", "r/api:1"}, {"build", kBuild}}},
      {"web", {{"image", "r/nope:1"}}},
      {"db", {{"image", "r/db:1"}}},
  });
  Run run;
  run.engine.fail = {{"r/nope:1", "manifest for r/nope:1 not found: manifest unknown"},
                     {"r/api:1", "pull access denied for r/api"}};
  try {
    service::pull_images(project, {}, run.ctx);
    FAIL("pull did not fail");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Engine);
    CHECK_THAT(e.what(), Catch::Contains("service \"web\": pulling r/nope:1: manifest for r/nope:1 not found"));
    CHECK_THAT(e.what(), Catch::Contains("service \"api\""));
  }
  // The other pulls went on.
  CHECK(run.engine.transfers() == std::vector<std::string>{"pull r/api:1", "pull r/db:1", "pull r/nope:1"});
  CHECK(run.progress.has("Image r/nope:1 Error (manifest for r/nope:1 not found: manifest unknown)"));
  CHECK(run.progress.has("Image r/api:1 Warning (pull access denied for r/api)"));
  REQUIRE(run.progress.messages.size() == 1);
  CHECK(run.progress.messages[0] ==
        "WARNING: Some service image(s) must be built from source by running:\n    berth build api");

  Run ignoring;
  ignoring.engine.fail = run.engine.fail;
  service::PullOptions options;
  options.ignore_pull_failures = true;
  CHECK_NOTHROW(service::pull_images(project, options, ignoring.ctx));
}

TEST_CASE("pull reports layers nested under their image", "[exec][pull]") {
  DockerConfigDir config;
  auto project = project_of({{"web", {{"image", "127.0.0.1:5000/app:v1"}}}});
  Run run;
  auto message = [](const char* id, const char* status, std::int64_t current = 0, std::int64_t total = 0) {
    engine::ProgressMessage m;
    m.id = id;
    m.status = status;
    m.current = current;
    m.total = total;
    return m;
  };
  run.engine.stream = {message("v1", "Pulling from app"), message("aaa", "Pulling fs layer"),
                       message("aaa", "Downloading", 10, 100), message("aaa", "Pull complete"),
                       message("", "Digest: sha256:0"), message("", "Status: Downloaded newer image")};
  service::pull_images(project, {}, run.ctx);
  CHECK(run.progress.lines == std::vector<std::string>{
                                  "Image 127.0.0.1:5000/app:v1 Pulling",
                                  "Image 127.0.0.1:5000/app:v1 > aaa Pulling fs layer",
                                  "Image 127.0.0.1:5000/app:v1 > aaa Downloading",
                                  "Image 127.0.0.1:5000/app:v1 > aaa Pull complete",
                                  "Image 127.0.0.1:5000/app:v1 Pulled",
                              });
  Run quiet;
  quiet.engine.stream = run.engine.stream;
  service::PullOptions options;
  options.quiet = true;
  service::pull_images(project, options, quiet.ctx);
  CHECK(quiet.progress.lines ==
        std::vector<std::string>{"Image 127.0.0.1:5000/app:v1 Pulling", "Image 127.0.0.1:5000/app:v1 Pulled"});
}

TEST_CASE("refresh policies pull images last tagged too long ago", "[exec][pull]") {
  DockerConfigDir config;
  auto project = project_of({
      {"fresh", {{"image", "r/fresh:1"}}},
      {"stale", {{"image", "r/stale:1"}}},
      {"never-tagged", {{"image", "r/zero:1"}}},
      {"absent", {{"image", "r/absent:1"}}},
  });
  Run run;
  run.engine.last_tag_time = {{"r/fresh:1", "2999-01-01T00:00:00Z"},
                              {"r/stale:1", "2020-01-01T00:00:00+02:00"},
                              {"r/zero:1", "0001-01-01T00:00:00Z"}};
  service::PullOptions options;
  options.max_age = std::chrono::hours(24);
  service::pull_images(project, options, run.ctx);
  CHECK(run.engine.transfers() == std::vector<std::string>{"pull r/absent:1", "pull r/stale:1", "pull r/zero:1"});

  CHECK(service::pull_policy_max_age("daily") == std::chrono::hours(24));
  CHECK(service::pull_policy_max_age("weekly") == std::chrono::hours(24 * 7));
  CHECK(service::pull_policy_max_age("every_12h") == std::chrono::hours(12));
  CHECK(service::pull_policy_max_age("every_1d12h") == std::chrono::hours(36));
  CHECK(service::pull_policy_max_age("every_2w") == std::chrono::hours(24 * 14));
  CHECK(service::pull_policy_max_age("every_90m") == std::chrono::minutes(90));
  CHECK_FALSE(service::pull_policy_max_age("always"));
  CHECK_FALSE(service::pull_policy_max_age("missing"));
  CHECK_THROWS_WITH(service::pull_policy_max_age("every_soon"), Catch::Contains("every_<duration>"));
  CHECK_THROWS_WITH(service::pull_policy_max_age("every_"), Catch::Contains("every_<duration>"));
}

TEST_CASE("pull sends credentials from config.json, a helper is named when the registry refuses", "[exec][pull]") {
  DockerConfigDir config(R"({"auths": {"127.0.0.1:5000": {"auth": "dTpw"}}, "credsStore": "desktop"})");
  auto project = project_of({{"local", {{"image", "127.0.0.1:5000/app:v1"}}}, {"hub", {{"image", "team/app:v1"}}}});
  Run run;
  run.engine.fail = {{"team/app:v1", "pull access denied for team/app, repository does not exist or may require "
                                     "'docker login': denied: requested access to the resource is denied"}};
  try {
    service::pull_images(project, {}, run.ctx);
    FAIL("pull did not fail");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("docker-credential-desktop") &&
                             Catch::Contains("credential helpers are not supported by berth"));
  }
  auto transfers = run.engine.transfers();
  auto auths = run.engine.auth_headers();
  REQUIRE(auths.size() == 2);
  // One anonymous (the helper's registry), one with the inline credentials.
  CHECK(std::count(auths.begin(), auths.end(), std::string()) == 1);
}

TEST_CASE("push pushes services with build and image, and their build tags", "[exec][push]") {
  DockerConfigDir config;
  json build_with_tags = kBuild;
  build_with_tags["tags"] = {"r/web:extra"};
  auto project = project_of({
      {"web", {{"image", "r/web:1"}, {"build", build_with_tags}}},
      {"db", {{"image", "r/db:1"}}},
      {"local", {{"build", kBuild}}},
      {"api", {{"image", "r/api:1"}, {"build", kBuild}}},
  });
  Run run;
  service::push_images(project, {}, run.ctx);
  CHECK(run.engine.transfers() == std::vector<std::string>{"push r/api:1", "push r/web:1", "push r/web:extra"});
  CHECK(run.progress.has("Service db Skipped (no build section)"));
  CHECK(run.progress.has("Service local Skipped (no image name)"));
  CHECK(run.progress.has("Image r/web:1 Pushed"));

  Run failing;
  failing.engine.fail = {{"r/api:1", "connect: connection refused"}};
  CHECK_THROWS_WITH(service::push_images(project, {}, failing.ctx),
                    Catch::Contains("service \"api\": pushing r/api:1: connect: connection refused") &&
                        Catch::Contains("is the registry docker.io running"));
  service::PushOptions options;
  options.ignore_push_failures = true;
  Run ignoring;
  ignoring.engine.fail = failing.engine.fail;
  CHECK_NOTHROW(service::push_images(project, options, ignoring.ctx));
  CHECK(ignoring.engine.transfers().size() == 3);
}
