// The lifecycle operations (service/operations.h) against a fake engine:
// planner and executor together, as `up`, `down`... run them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "../exec/executor_fixture.h"
#include "../exec/fake_engine.h"
#include "berth/exec/executor.h"
#include "berth/model/project.h"
#include "berth/plan/plan.h"
#include "berth/ui/progress.h"
#include "service/operations.h"
#include "service/session.h"

using nlohmann::json;
using namespace berth;
using test::demo_project;
using test::index_of;
using test::kImage;
using test::RecordingProgress;

namespace {

void up(test::FakeEngine& engine, RecordingProgress& progress, const model::Project& project, int parallelism = -1,
        std::function<bool()> interrupted = {}) {
  service::RunContext ctx{engine, progress, parallelism, false, std::move(interrupted)};
  service::converge(project, {}, ctx);
}

}  // namespace

TEST_CASE("executor: up orders networks, dependencies and conditions", "[exec]") {
  test::FakeEngine engine;
  engine.health_by_name["demo-db-1"] = {"starting", "starting", "healthy"};
  RecordingProgress progress;
  up(engine, progress, demo_project());
  auto calls = engine.calls();
  CAPTURE(calls);
  CHECK(index_of(calls, "create network demo_default") < index_of(calls, "create demo-db-1"));
  CHECK(index_of(calls, "create network demo_default") < index_of(calls, "create demo-cache-1"));
  CHECK(index_of(calls, "start demo-db-1") < index_of(calls, "inspect demo-db-1"));
  // web starts only once db was seen healthy (the third inspect).
  CHECK(std::count(calls.begin(), calls.end(), "inspect demo-db-1") == 3);
  auto last_inspect = std::find(calls.rbegin(), calls.rend(), "inspect demo-db-1");
  CHECK(index_of(calls, "start demo-web-1") > static_cast<size_t>(calls.rend() - last_inspect - 1));
  CHECK(std::find(progress.events.begin(), progress.events.end(), "Container demo-db-1 Healthy") != progress.events.end());
  CHECK(std::find(progress.events.begin(), progress.events.end(), "Container demo-web-1 Started") != progress.events.end());
  CHECK(progress.finished == 1);
  CHECK(std::count(calls.begin(), calls.end(), "healthcheck demo-db-1") == 0);  // the engine runs its checks

  SECTION("a second up changes nothing: three list calls and the image list") {
    RecordingProgress again;
    size_t before = engine.calls().size();
    up(engine, again, demo_project());
    auto second = engine.calls();
    std::vector<std::string> made(second.begin() + static_cast<long>(before), second.end());
    std::sort(made.begin(), made.end());  // the list calls run at once
    CHECK(made == std::vector<std::string>{"list containers", "list images", "list networks", "list volumes"});
    CHECK(std::count_if(again.events.begin(), again.events.end(),
                        [](const std::string& e) { return e.ends_with(" Running"); }) == 3);
  }
}

TEST_CASE("executor: on an engine that runs healthchecks only on request, the wait runs them", "[exec]") {
  test::FakeEngine engine;
  engine.healthchecks_on_request = true;
  engine.health_by_name["demo-db-1"] = {"starting", "starting", "healthy"};
  RecordingProgress progress;
  up(engine, progress, demo_project());
  auto calls = engine.calls();
  CAPTURE(calls);
  CHECK(std::count(calls.begin(), calls.end(), "healthcheck demo-db-1") == 2);
  CHECK(index_of(calls, "healthcheck demo-db-1") > index_of(calls, "start demo-db-1"));
  CHECK(std::find(progress.events.begin(), progress.events.end(), "Container demo-db-1 Healthy") != progress.events.end());
  CHECK(std::find(progress.events.begin(), progress.events.end(), "Container demo-web-1 Started") != progress.events.end());
}

TEST_CASE("executor: --wait takes a health object with an empty status (Podman, healthcheck off) as no healthcheck", "[exec]") {
  test::FakeEngine engine;
  engine.health_by_name["demo-db-1"] = {"starting", "healthy"};
  engine.health_by_name["demo-web-1"] = {""};
  RecordingProgress progress;
  plan::ConvergeOptions options;
  options.wait = true;
  service::RunContext ctx{engine, progress, -1, false, {}};
  service::converge(demo_project(), options, ctx);
  CAPTURE(progress.events);
  CHECK(std::find(progress.events.begin(), progress.events.end(), "Container demo-web-1 Running") != progress.events.end());
}

TEST_CASE("executor: dependency conditions", "[exec]") {
  SECTION("unhealthy: dependents not started, error names the service and its last health output") {
    test::FakeEngine engine;
    engine.health_by_name["demo-db-1"] = {"starting", "unhealthy"};
    RecordingProgress progress;
    try {
      up(engine, progress, demo_project());
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.message().find("service \"db\" is unhealthy") != std::string::npos);
    }
    auto calls = engine.calls();
    CHECK(std::find(calls.begin(), calls.end(), "start demo-web-1") == calls.end());
  }
  SECTION("unhealthy with output") {
    test::FakeEngine engine;
    engine.health_by_name["demo-db-1"] = {"unhealthy"};
    RecordingProgress progress;
    try {
      up(engine, progress, demo_project());
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.message().find("last health check exited 1") != std::string::npos);
    }
  }
  SECTION("required: false: an unhealthy dependency is a warning and the dependent starts") {
    test::FakeEngine engine;
    engine.health_by_name["demo-db-1"] = {"unhealthy"};
    RecordingProgress progress;
    auto project = demo_project();
    project.find_service("web")->depends_on.front().required = false;
    up(engine, progress, project);
    auto calls = engine.calls();
    CHECK(std::find(calls.begin(), calls.end(), "start demo-web-1") != calls.end());
    REQUIRE(!progress.messages.empty());
    CHECK(progress.messages.front().find("service \"db\" is unhealthy") != std::string::npos);
  }
  SECTION("no healthcheck at all") {
    test::FakeEngine engine;
    RecordingProgress progress;
    CHECK_THROWS_WITH(up(engine, progress, demo_project()), Catch::Contains("has no healthcheck"));
  }
  SECTION("service_completed_successfully: exit 0 lets the dependent start") {
    test::FakeEngine engine;
    engine.exit_on_start["demo-db-1"] = 0;
    RecordingProgress progress;
    up(engine, progress, demo_project("service_completed_successfully"));
    auto calls = engine.calls();
    CHECK(index_of(calls, "inspect demo-db-1") < index_of(calls, "start demo-web-1"));
  }
  SECTION("service_completed_successfully: a non-zero exit names the service and code") {
    test::FakeEngine engine;
    engine.exit_on_start["demo-db-1"] = 3;
    RecordingProgress progress;
    CHECK_THROWS_WITH(up(engine, progress, demo_project("service_completed_successfully")),
                      Catch::Contains("service \"db\" didn't complete successfully: exit 3"));
    auto calls = engine.calls();
    CHECK(std::find(calls.begin(), calls.end(), "start demo-web-1") == calls.end());
  }
}

TEST_CASE("executor: an interruption stops dispatching and says so", "[exec]") {
  test::FakeEngine engine;
  RecordingProgress progress;
  try {
    up(engine, progress, demo_project(), -1, [] { return true; });
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Interrupted);
  }
  auto calls = engine.calls();
  // Only the project lock was taken (and given back).
  CHECK(std::none_of(calls.begin(), calls.end(),
                     [](const std::string& c) { return c.starts_with("create") && c != "create demo_berth-lock"; }));
  CHECK(engine.by_name("demo_berth-lock") == nullptr);
}

TEST_CASE("operations: dry run changes nothing and prints the plan", "[exec]") {
  struct Case {
    const char* name;
    std::function<void(const service::RunContext&)> run;
  };
  auto project = demo_project();
  std::vector<Case> cases = {
      {"up", [&](const service::RunContext& ctx) { service::converge(project, {}, ctx); }},
      {"down", [&](const service::RunContext& ctx) { plan::DownPlanOptions o;
         o.volumes = true;
         service::down(project, o, ctx); }},
      {"stop", [&](const service::RunContext& ctx) { service::stop(project, {}, std::nullopt, ctx); }},
      {"kill", [&](const service::RunContext& ctx) { service::kill(project, {}, "SIGKILL", false, ctx); }},
      {"rm", [&](const service::RunContext& ctx) { plan::RemovePlanOptions o;
         o.stop = true;
         service::remove(project, {}, o, ctx); }},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    test::FakeEngine engine;
    engine.health_by_name["demo-db-1"] = {"healthy"};
    RecordingProgress setup;
    up(engine, setup, project);
    engine.containers.begin()->second.labels["com.docker.compose.config-hash"] = "changed";
    size_t before = engine.calls().size();
    RecordingProgress progress;
    c.run({engine, progress, -1, true, {}});
    auto calls = engine.calls();
    for (size_t i = before; i < calls.size(); ++i) {
      CAPTURE(calls[i]);
      CHECK(calls[i].starts_with("list"));
    }
    REQUIRE(!progress.messages.empty());
    CHECK(progress.messages.front().starts_with("DRY-RUN "));
  }
}

TEST_CASE("operations: down removes what up made, named volumes only with -v", "[exec]") {
  auto project = model::Project::from_json(
      {{"name", "demo"},
       {"services", {{"db", {{"image", kImage}, {"volumes", {{{"type", "volume"}, {"source", "data"}, {"target", "/d"}}}}}}}},
       {"volumes", {{"data", json::object()}}}},
      json::array());
  for (bool volumes : {false, true}) {
    CAPTURE(volumes);
    test::FakeEngine engine;
    RecordingProgress progress;
    up(engine, progress, project);
    CHECK(engine.volumes.count("demo_data") == 1);
    service::RunContext ctx{engine, progress, -1, false, {}};
    model::Project by_name;
    by_name.name = "demo";
    plan::DownPlanOptions down_options;
    down_options.volumes = volumes;
    service::down(by_name, down_options, ctx);
    CHECK(engine.containers.empty());
    CHECK(engine.networks.empty());
    CHECK(engine.volumes.count("demo_data") == (volumes ? 0u : 1u));
  }
}

TEST_CASE("operations: down leaves a network still in use and warns instead of failing", "[exec]") {
  auto project = demo_project("service_started");
  test::FakeEngine engine;
  RecordingProgress progress;
  up(engine, progress, project);
  // An orphan kept without --remove-orphans still uses the network.
  engine.fail_calls["remove network id-demo_default"] =
      "error while removing network: network demo_default id 123 has active endpoints";
  service::RunContext ctx{engine, progress, -1, false, {}};
  service::down(project, {}, ctx);
  CHECK(engine.containers.empty());
  CHECK(std::find(progress.events.begin(), progress.events.end(),
                  "Network demo_default Resource is still in use") != progress.events.end());
}

TEST_CASE("operations: up that changes something holds the project lock, a no-op up takes none", "[exec]") {
  test::FakeEngine engine;
  RecordingProgress progress;
  auto project = demo_project("service_started");
  up(engine, progress, project);
  auto calls = engine.calls();
  CAPTURE(calls);
  const std::string lock = "demo_berth-lock";
  CHECK(index_of(calls, "create " + lock) < index_of(calls, "create network demo_default"));
  CHECK(index_of(calls, "start demo-web-1") < index_of(calls, "remove " + lock));
  CHECK(engine.by_name(lock) == nullptr);
  CHECK(engine.containers.size() == 3);
  CHECK(engine.by_name("demo-web-1")->labels.count("dev.berth.lock") == 0);

  size_t before = engine.calls().size();
  up(engine, progress, project);
  auto again = engine.calls();
  CHECK(std::count(again.begin() + static_cast<long>(before), again.end(), "create " + lock) == 0);
}

TEST_CASE("executor: a diverged network is recreated, an orphan on it is disconnected and reconnected", "[exec]") {
  test::FakeEngine engine;
  RecordingProgress progress;
  auto project = demo_project("service_started");
  up(engine, progress, project);
  engine.networks["demo_default"]["com.docker.compose.config-hash"] = "stale";
  engine.add_container("demo-old-1", {{"com.docker.compose.project", "demo"}, {"com.docker.compose.service", "old"},
                                      {"com.docker.compose.container-number", "1"}, {"com.docker.compose.oneoff", "False"}},
                       "running");
  size_t before = engine.calls().size();
  up(engine, progress, project);
  auto all = engine.calls();
  std::vector<std::string> calls(all.begin() + static_cast<long>(before), all.end());
  CAPTURE(calls);
  // The fake lists no network attachments: only the model's services count as on it.
  CHECK(index_of(calls, "stop demo-web-1") < index_of(calls, "remove network id-demo_default"));
  CHECK(index_of(calls, "remove network id-demo_default") < index_of(calls, "create network demo_default"));
  CHECK(index_of(calls, "create network demo_default") < index_of(calls, "start demo-web-1"));
  CHECK(engine.networks.at("demo_default").at("com.docker.compose.config-hash") != "stale");
  CHECK(engine.by_name("demo-old-1") != nullptr);
}

