// up/down through the service layer's operations against the real engine: idempotence,
// recreating exactly what changed, volumes, health failures, interrupted
// recreates and concurrent runs.
#include <catch2/catch.hpp>

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "berth/engine/docker_engine.h"
#include "berth/exec/executor.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/plan/observe.h"
#include "berth/plan/reconcile.h"
#include "berth/ui/progress.h"
#include "berth/util/error.h"
#include "service/operations.h"
#include "service/session.h"
#include "e2e_support.h"

using nlohmann::json;
using namespace berth;

namespace {

class CollectingProgress : public ui::ProgressSink {
 public:
  void event(const ui::ProgressEvent& e) override {
    std::lock_guard lock(mutex_);
    events.push_back(e.resource + " " + e.status);
  }
  void message(const std::string& text) override {
    std::lock_guard lock(mutex_);
    messages.push_back(text);
  }
  std::vector<std::string> events, messages;

 private:
  std::mutex mutex_;
};

json service_model(json extra = json::object()) {
  json s = {{"image", e2e::busybox_image()},
            {"command", {"sleep", "3600"}},
            {"stop_signal", "SIGKILL"},
            {"networks", {{"default", nullptr}}}};
  s.update(extra);
  return s;
}

model::Project project_of(const std::string& name, json services, json volumes = json::object()) {
  json doc = {{"name", name},
              {"services", std::move(services)},
              {"networks", {{"default", json::object()}}},
              {"volumes", std::move(volumes)}};
  return model::Project::from_json(doc, json::array());
}

// Always tears the project down, volumes included.
struct DownGuard {
  engine::Engine& engine;
  std::string project;
  ~DownGuard() {
    try {
      CollectingProgress progress;
      model::Project by_name;
      by_name.name = project;
      plan::DownPlanOptions options;
      options.volumes = true;
      options.timeout_seconds = 0;
      service::down(by_name, options, {engine, progress, -1, false, {}});
    } catch (...) {
    }
  }
};

std::map<std::string, std::string> ids_by_name(engine::Engine& engine, const std::string& project) {
  std::map<std::string, std::string> out;
  for (const auto& c : plan::observe(engine, project).containers) out[c.name] = c.id;
  return out;
}

service::RunContext context(engine::Engine& engine, ui::ProgressSink& progress) {
  return {engine, progress, -1, false, {}};
}

}  // namespace

TEST_CASE("converge: up is idempotent and recreates exactly what changed", "[e2e][converge]") {
  auto engine = engine::DockerEngine::from_environment();
  const std::string name = e2e::unique_name("conv");
  DownGuard guard{*engine, name};
  json healthy = {{"test", {"CMD", "true"}}, {"interval", "200ms"}};
  auto services = [&](const std::string& env) {
    return json{{"db", service_model({{"healthcheck", healthy}})},
                {"web", service_model({{"environment", {{"MODE", env}}},
                                 {"depends_on", {{"db", {{"condition", "service_healthy"}, {"required", true},
                                                         {"restart", false}}}}}})}};
  };
  CollectingProgress progress;
  service::converge(project_of(name, services("a")), {}, context(*engine, progress));
  auto first = ids_by_name(*engine, name);
  REQUIRE(first.size() == 2);
  REQUIRE(first.count(name + "-db-1"));
  REQUIRE(first.count(name + "-web-1"));

  CollectingProgress again;
  service::converge(project_of(name, services("a")), {}, context(*engine, again));
  CHECK(ids_by_name(*engine, name) == first);
  CHECK(std::count_if(again.events.begin(), again.events.end(),
                      [](const std::string& e) { return e.ends_with(" Running"); }) == 2);

  CollectingProgress changed;
  service::converge(project_of(name, services("b")), {}, context(*engine, changed));
  auto second = ids_by_name(*engine, name);
  REQUIRE(second.size() == 2);
  CHECK(second[name + "-db-1"] == first[name + "-db-1"]);
  CHECK(second[name + "-web-1"] != first[name + "-web-1"]);
  auto web = engine->inspect_container(second[name + "-web-1"]);
  CHECK(web["State"]["Running"] == true);
  CHECK(std::find(changed.events.begin(), changed.events.end(), "Container " + name + "-web-1 Recreated") !=
        changed.events.end());
}

TEST_CASE("converge: named volumes survive recreation and down, anonymous ones are carried", "[e2e][converge]") {
  auto engine = engine::DockerEngine::from_environment();
  const std::string name = e2e::unique_name("vol");
  DownGuard guard{*engine, name};
  auto project = project_of(
      name,
      {{"app", service_model({{"volumes", {{{"type", "volume"}, {"source", "data"}, {"target", "/data"}},
                                     {{"type", "volume"}, {"target", "/scratch"}}}}})}},
      {{"data", json::object()}});
  CollectingProgress progress;
  service::converge(project, {}, context(*engine, progress));
  auto anonymous_of = [&] {
    auto c = engine->inspect_container(name + "-app-1");
    for (const auto& m : c["Mounts"])
      if (m["Destination"] == "/scratch") return m["Name"].get<std::string>();
    return std::string();
  };
  std::string anonymous = anonymous_of();
  REQUIRE(!anonymous.empty());
  plan::ConvergeOptions force;
  force.recreate = plan::Recreate::Force;
  force.timeout_seconds = 0;
  service::converge(project, force, context(*engine, progress));
  CHECK(anonymous_of() == anonymous);

  plan::DownPlanOptions keep_volumes;
  keep_volumes.timeout_seconds = 0;
  service::down(project, keep_volumes, context(*engine, progress));
  CHECK(plan::observe(*engine, name).containers.empty());
  CHECK(plan::observe(*engine, name).find_volume(name + "_data") != nullptr);
  plan::DownPlanOptions with_volumes;
  with_volumes.volumes = true;
  service::down(project, with_volumes, context(*engine, progress));
  CHECK(plan::observe(*engine, name).volumes.empty());
  CHECK(plan::observe(*engine, name).networks.empty());
  // As with docker compose, `down` without -v left the anonymous volume
  // behind (nothing labels it); this test made it, so it removes it.
  CHECK_NOTHROW(engine->remove_volume(anonymous));
}

TEST_CASE("converge: a health check that never passes stops dependents with its output", "[e2e][converge]") {
  auto engine = engine::DockerEngine::from_environment();
  const std::string name = e2e::unique_name("sick");
  DownGuard guard{*engine, name};
  auto project = project_of(
      name, {{"db", service_model({{"healthcheck", {{"test", {"CMD-SHELL", "echo not ready; exit 1"}},
                                              {"interval", "200ms"}, {"retries", 2}}}})},
             {"web", service_model({{"depends_on", {{"db", {{"condition", "service_healthy"}, {"required", true},
                                                     {"restart", false}}}}}})}});
  CollectingProgress progress;
  try {
    service::converge(project, {}, context(*engine, progress));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.message().find("service \"db\" is unhealthy") != std::string::npos);
    CHECK(e.message().find("not ready") != std::string::npos);
  }
  auto web = engine->inspect_container(name + "-web-1");
  CHECK(web["State"]["Status"] == "created");
}

TEST_CASE("converge: an interrupted recreate converges on the next up", "[e2e][converge]") {
  auto engine = engine::DockerEngine::from_environment();
  const std::string name = e2e::unique_name("intr");
  DownGuard guard{*engine, name};
  auto project_a = project_of(name, {{"app", service_model({{"environment", {{"V", "1"}}}})}});
  auto project_b = project_of(name, {{"app", service_model({{"environment", {{"V", "2"}}}})}});
  CollectingProgress progress;
  service::converge(project_a, {}, context(*engine, progress));

  // Run only the first step of the recreate (the temporary container), as if
  // interrupted right after it.
  auto plan = plan::reconcile(project_b, plan::observe(*engine, project_b), {});
  REQUIRE(plan.actions.front().kind == plan::ActionKind::CreateContainer);
  plan::Plan first_step;
  first_step.add(plan.actions.front());
  exec::execute(first_step, project_b, *engine, progress);
  REQUIRE(ids_by_name(*engine, name).size() == 2);

  service::converge(project_b, {}, context(*engine, progress));
  auto ids = ids_by_name(*engine, name);
  REQUIRE(ids.size() == 1);
  CHECK(ids.begin()->first == name + "-app-1");
  auto c = engine->inspect_container(ids.begin()->second);
  CHECK(c["State"]["Running"] == true);
  CHECK(c["Config"]["Env"].dump().find("V=2") != std::string::npos);
}

TEST_CASE("converge: two concurrent ups make no duplicates", "[e2e][converge]") {
  auto engine = engine::DockerEngine::from_environment();
  const std::string name = e2e::unique_name("race");
  DownGuard guard{*engine, name};
  auto project = project_of(name, {{"a", service_model()}, {"b", service_model()}, {"c", service_model()}});
  std::vector<std::string> errors;
  std::mutex mutex;
  auto run = [&] {
    try {
      CollectingProgress progress;
      service::converge(project, {}, context(*engine, progress));
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex);
      errors.push_back(e.what());
    }
  };
  std::thread one(run), two(run);
  one.join();
  two.join();
  CAPTURE(errors);
  CHECK(errors.empty());
  auto ids = ids_by_name(*engine, name);
  CHECK(ids.size() == 3);
  for (const auto& [n, id] : ids) CHECK(engine->inspect_container(id)["State"]["Running"] == true);
}
