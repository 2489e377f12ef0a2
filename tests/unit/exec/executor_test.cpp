#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "berth/exec/executor.h"
#include "berth/model/project.h"
#include "berth/plan/reconcile.h"
#include "berth/ui/progress.h"
#include "executor_fixture.h"
#include "fake_engine.h"

using nlohmann::json;
using namespace berth;
using test::demo_project;
using test::index_of;
using test::kImage;
using test::RecordingProgress;

TEST_CASE("executor: parallelism limit", "[exec]") {
  struct Case {
    int parallelism;
    int expected_max;
  };
  for (auto c : {Case{1, 1}, Case{2, 2}}) {
    CAPTURE(c.parallelism);
    test::FakeEngine engine;
    engine.call_delay = std::chrono::milliseconds(20);
    plan::Plan plan;
    for (int i = 0; i < 6; ++i) {
      std::string name = "p-" + std::to_string(i);
      engine.add_container(name, {}, "exited");
      plan::Action a;
      a.kind = plan::ActionKind::StartContainer;
      a.target = name;
      a.container = {engine.by_name(name)->id, std::nullopt, name};
      plan.add(std::move(a));
    }
    RecordingProgress progress;
    exec::ExecuteOptions options;
    options.parallelism = c.parallelism;
    exec::execute(plan, demo_project(), engine, progress, options);
    CHECK(engine.max_concurrent() == c.expected_max);
    CHECK(engine.calls().size() == 6);
  }
}

TEST_CASE("executor: the first failure stops new work and every failure is reported", "[exec]") {
  test::FakeEngine engine;
  engine.call_delay = std::chrono::milliseconds(10);
  plan::Plan plan;
  std::vector<size_t> nodes;
  for (int i = 0; i < 4; ++i) {
    std::string name = "f-" + std::to_string(i);
    engine.add_container(name, {}, "exited");
    plan::Action a;
    a.kind = plan::ActionKind::StartContainer;
    a.target = name;
    a.service = "svc" + std::to_string(i);
    a.container = {engine.by_name(name)->id, std::nullopt, name};
    nodes.push_back(plan.add(std::move(a), i == 3 ? std::vector<size_t>{0} : std::vector<size_t>{}));
  }
  engine.fail_calls["start f-0"] = "boom zero";
  engine.fail_calls["start f-1"] = "boom one";
  RecordingProgress progress;
  exec::ExecuteOptions options;
  options.parallelism = 2;
  try {
    exec::execute(plan, demo_project(), engine, progress, options);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Engine);
    CHECK(e.message().find("boom zero") != std::string::npos);
    CHECK(e.message().find("boom one") != std::string::npos);
    CHECK(e.message().find("service \"svc0\"") != std::string::npos);
  }
  auto calls = engine.calls();
  std::sort(calls.begin(), calls.end());
  // f-0 and f-1 ran together and failed: f-2 (ready) and f-3 (after f-0) never start.
  CHECK(calls == std::vector<std::string>{"start f-0", "start f-1"});
  CHECK(std::find(progress.events.begin(), progress.events.end(), "Container f-0 Error (boom zero)") !=
        progress.events.end());
}

TEST_CASE("executor: a name conflict adopts the same container made by a concurrent run", "[exec]") {
  test::FakeEngine engine;
  engine.exit_on_start["demo-db-1"] = 0;
  auto project = demo_project("service_completed_successfully");
  // Plan against an empty engine, then let "another run" create cache first.
  auto observed = plan::observe(engine, project);
  auto plan = plan::reconcile(project, observed, {});
  RecordingProgress first;
  exec::execute(plan, project, engine, first);
  auto cache_id = engine.by_name("demo-cache-1")->id;
  // Pretend only cache exists: remove the others and run the same plan again.
  for (const char* name : {"demo-db-1", "demo-web-1"}) engine.containers.erase(engine.by_name(name)->id);
  RecordingProgress second;
  exec::execute(plan, project, engine, second);
  CHECK(engine.by_name("demo-cache-1")->id == cache_id);
  CHECK(engine.containers.size() == 3);
}

TEST_CASE("executor: a container reconnected to a recreated network keeps its aliases and address", "[exec]") {
  test::FakeEngine engine;
  auto& orphan = engine.add_container("demo-old-1", {{"com.docker.compose.project", "demo"}}, "running");
  orphan.endpoints["demo_default"] = {{"Aliases", {"old", "legacy", orphan.id.substr(0, 12)}},
                                      {"IPAMConfig", {{"IPv4Address", "10.5.0.9"}}},
                                      {"Links", nullptr}};
  plan::Plan plan;
  plan::ContainerRef ref{orphan.id, std::nullopt, orphan.name};
  plan::Action disconnect;
  disconnect.kind = plan::ActionKind::DisconnectNetwork;
  disconnect.container = ref;
  disconnect.target = ref.name;
  disconnect.network = "demo_default";
  disconnect.force = true;
  size_t first = plan.add(std::move(disconnect));
  plan::Action connect;
  connect.kind = plan::ActionKind::ConnectNetwork;
  connect.container = ref;
  connect.target = ref.name;
  connect.network = "demo_default";
  connect.aliases = {"old"};
  connect.restore_endpoint_of = first;
  plan.add(std::move(connect), {first});
  RecordingProgress progress;
  exec::execute(plan, model::Project{}, engine, progress);
  const json& endpoint = engine.connected.at("demo_default demo-old-1");
  CHECK(endpoint["Aliases"] == json({"old", "legacy"}));
  CHECK(endpoint["IPAMConfig"]["IPv4Address"] == "10.5.0.9");
  CHECK_FALSE(endpoint.contains("Links"));
}

TEST_CASE("observe asks the engine about a service image no listed tag names (Podman's localhost/ images)",
          "[exec]") {
  test::FakeEngine engine;
  auto project = demo_project();
  for (auto& s : project.services) s.image = "app:1";
  engine.resolved_images["app:1"] = "sha256:app";  // listed as localhost/app:1 by Podman
  auto observed = plan::observe(engine, project);
  CHECK(observed.image_id("app:1") == "sha256:app");
  auto plan = plan::reconcile(project, observed, {});
  CHECK(!plan.empty());
}
