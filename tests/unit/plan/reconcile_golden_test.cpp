// Golden tests of the planner: each tests/data/plan/<case>.json holds a model,
// what the engine reports and the command's options; <case>.txt is the plan
// describe() must print. BERTH_UPDATE_GOLDEN=1 rewrites the .txt files.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "berth/model/config_hash.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/plan/lifecycle.h"
#include "berth/plan/reconcile.h"
#include "berth/util/error.h"

using nlohmann::json;
using namespace berth;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

engine::Labels string_labels(const json& j) {
  engine::Labels out;
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it->get<std::string>();
  return out;
}

// "@web" stands for the model's current config hash of service web.
std::string hash_of(const model::Project& project, const std::string& text) {
  if (!text.starts_with("@")) return text;
  const model::Service* s = project.find_service(text.substr(1));
  return s ? model::config_hash(*s) : "hash-of-" + text.substr(1);
}

plan::ObservedState observed_from(const model::Project& project, const json& c) {
  namespace L = model::labels;
  plan::ObservedState state;
  state.project = project.name;
  const json& observed = c.value("observed", json::object());
  for (const auto& item : observed.value("containers", json::array())) {
    engine::ContainerSummary s;
    s.id = item.value("id", "");
    s.names = {"/" + item.value("name", "")};
    s.image = item.value("image", "berth-local/busybox:latest");
    s.image_id = item.value("image_id", "sha256:busybox");
    s.state = item.value("state", "running");
    s.status = item.value("status", s.state == "running" ? "Up 1 minute" : "Exited (0) 1 minute ago");
    s.labels = string_labels(item.value("labels", json::object()));
    s.labels[L::kProject] = project.name;
    s.labels[L::kService] = item.value("service", "");
    s.labels[L::kContainerNumber] = std::to_string(item.value("number", 1));
    s.labels[L::kOneoff] = item.value("oneoff", false) ? "True" : "False";
    s.labels[L::kConfigHash] = hash_of(project, item.value("hash", "@" + item.value("service", "")));
    if (item.contains("depends_on")) s.labels[L::kDependsOn] = item["depends_on"].get<std::string>();
    s.networks = item.value("networks", std::vector<std::string>{});
    state.containers.push_back(plan::observed_container(s));
  }
  for (const auto& n : observed.value("networks", json::array())) {
    engine::Labels labels = string_labels(n.value("labels", json::object()));
    if (!n.value("external", false)) labels[L::kProject] = project.name;
    // "@default" stands for the model's current hash of network default.
    if (auto it = labels.find(L::kConfigHash); it != labels.end() && it->second.starts_with("@"))
      if (const auto* network = project.find_network(it->second.substr(1)))
        it->second = model::network_config_hash(*network);
    state.networks.push_back({"net-" + n.value("name", ""), n.value("name", ""), n.value("driver", "bridge"),
                              n.value("internal", false), n.value("attachable", false), labels});
  }
  for (const auto& v : observed.value("volumes", json::array())) {
    engine::Labels labels;
    if (!v.value("external", false)) labels[L::kProject] = project.name;
    state.volumes.push_back({v.value("name", ""), "local", labels});
  }
  if (c.contains("images")) {
    state.images_listed = true;
    for (auto it = c["images"].begin(); it != c["images"].end(); ++it) state.images[it.key()] = it->get<std::string>();
  }
  return state;
}

plan::Plan plan_for(const model::Project& project, const plan::ObservedState& observed, const json& c) {
  const json& o = c.value("options", json::object());
  auto services = o.value("services", std::vector<std::string>{});
  std::string command = c.value("command", "up");
  if (command == "up") {
    plan::ConvergeOptions options;
    options.services = services;
    std::string recreate = o.value("recreate", "diverged");
    options.recreate = recreate == "force" ? plan::Recreate::Force
                       : recreate == "never" ? plan::Recreate::Never
                                             : plan::Recreate::Diverged;
    options.always_recreate_deps = o.value("always_recreate_deps", false);
    options.no_deps = o.value("no_deps", false);
    options.no_start = o.value("no_start", false);
    options.remove_orphans = o.value("remove_orphans", false);
    options.renew_anonymous_volumes = o.value("renew_anonymous_volumes", false);
    options.wait = o.value("wait", false);
    options.all_resources = o.value("all_resources", false);
    options.scale = o.value("scale", std::map<std::string, int>{});
    if (o.contains("timeout")) options.timeout_seconds = o["timeout"].get<int>();
    return plan::reconcile(project, observed, options);
  }
  if (command == "down") {
    plan::DownPlanOptions options;
    options.volumes = o.value("volumes", false);
    options.rmi = o.value("rmi", "");
    options.remove_orphans = o.value("remove_orphans", false);
    return plan::plan_down(project, observed, options);
  }
  if (command == "start") return plan::plan_start(project, observed, services, o.value("wait", false));
  if (command == "run") {
    plan::RunPlanOptions options;
    options.service = o.value("service", "");
    options.name = o.value("name", options.service + "-run");
    options.no_deps = o.value("no_deps", false);
    options.remove_orphans = o.value("remove_orphans", false);
    return plan::plan_run(project, observed, options);
  }
  if (command == "stop") return plan::plan_stop(project, observed, services, std::nullopt);
  if (command == "restart") return plan::plan_restart(project, observed, services, std::nullopt, o.value("no_deps", false));
  if (command == "kill")
    return plan::plan_kill(project, observed, services, o.value("signal", "SIGKILL"), o.value("remove_orphans", false));
  if (command == "pause") return plan::plan_pause(project, observed, services);
  if (command == "unpause") return plan::plan_unpause(project, observed, services);
  if (command == "rm") return plan::plan_remove(project, observed, services, {o.value("stop", false), o.value("volumes", false)});
  FAIL("unknown command " << command);
  return {};
}

// The plan's text, or "error: <message>" when planning refuses.
std::string golden_text(const json& c) {
  auto project = model::Project::from_json(c["model"], c.value("disabled", json::array()));
  auto observed = observed_from(project, c);
  try {
    return plan::describe(plan_for(project, observed, c));
  } catch (const Error& e) {
    return std::string("error (") + to_string(e.kind()) + "): " + e.message() + "\n";
  }
}

}  // namespace

TEST_CASE("reconcile: golden plans", "[plan][golden]") {
  const fs::path dir = fs::path(BERTH_TEST_DATA_DIR) / "plan";
  const bool update = std::getenv("BERTH_UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".json") cases.push_back(entry.path());
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() >= 15);
  for (const auto& path : cases) {
    CAPTURE(path.filename().string());
    json c = json::parse(read_text(path));
    std::string actual = golden_text(c);
    fs::path expected_path = fs::path(path).replace_extension(".txt");
    if (update) {
      std::ofstream(expected_path) << actual;
      continue;
    }
    REQUIRE(fs::exists(expected_path));
    CHECK(actual == read_text(expected_path));
    // Pure: the same inputs give the same plan.
    CHECK(golden_text(c) == actual);
  }
}
