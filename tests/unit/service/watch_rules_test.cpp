// watch's pure parts: the rules read from the model (and the ones refused),
// which files a rule takes, editor noise, batching, and what one batch asks
// of each service.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/project.h"
#include "berth/util/error.h"
#include "service/watch_rules.h"

using namespace berth;
using namespace berth::service;
using nlohmann::json;

namespace {

model::Project project_with(const json& services) {
  model::Project p;
  p.name = "demo";
  for (auto it = services.begin(); it != services.end(); ++it) {
    model::Service s;
    s.name = it.key();
    s.json = model::JsonBox(*it);
    s.bind();
    p.services.push_back(std::move(s));
  }
  return p;
}

WatchRule rule_with(const std::vector<std::string>& ignore, const std::vector<std::string>& include = {}) {
  WatchRule r;
  r.service = "web";
  r.path = "/src/app";
  r.target = "/app";
  r.ignore = builder::IgnoreMatcher(ignore);
  r.include = builder::IgnoreMatcher(include);
  return r;
}

}  // namespace

TEST_CASE("editor and VCS noise is never synced", "[watch]") {
  struct Case {
    const char* path;
    bool noise;
  } cases[] = {
      {"main.py", false},         {".main.py.swp", true},   {".main.py.swx", true},    {"4913", true},
      {"main.py~", true},         {".#main.py", true},      {"#main.py#", true},       {"a/.git/HEAD", true},
      {".git", true},             {"x.py___jb_tmp___", true}, {".~lock.notes.odt#", true}, {"lib/4913x", false},
      {".gitignore", false},      {"sub/.swp", true},        {"dir/main.swpx", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.path);
    CHECK(is_editor_noise(c.path) == c.noise);
  }
}

TEST_CASE("a rule takes what its ignore, include and the context's .dockerignore let through", "[watch]") {
  auto rule = rule_with(builder::parse_dockerignore("*.pyc\n__pycache__/\n!keep.pyc\n"));
  CHECK(rule.takes("main.py"));
  CHECK(!rule.takes("main.pyc"));
  CHECK(rule.takes("keep.pyc"));
  CHECK(!rule.takes("__pycache__/x.py"));
  CHECK(!rule.descends("__pycache__"));
  CHECK(rule.descends("lib"));
  CHECK(!rule.takes(".main.py.swp"));

  auto only_py = rule_with({}, builder::parse_dockerignore("*.py\n**/*.py\n"));
  CHECK(only_py.takes("a.py"));
  CHECK(only_py.takes("lib/b.py"));
  CHECK(!only_py.takes("readme.md"));
  CHECK(only_py.descends("lib"));

  auto in_context = rule_with({});
  in_context.dockerignore = builder::IgnoreMatcher(builder::parse_dockerignore("app/secret.env\napp/build\n"));
  in_context.path_in_context = "app";
  CHECK(!in_context.takes("secret.env"));
  CHECK(!in_context.takes("build/out.o"));
  CHECK(!in_context.descends("build"));
  CHECK(in_context.takes("main.py"));
}

TEST_CASE("relative_below names a path under a root, and nothing else", "[watch]") {
  CHECK(relative_below("/src/app", "/src/app") == std::optional<std::string>(""));
  CHECK(relative_below("/src/app", "/src/app/a/b.py") == std::optional<std::string>("a/b.py"));
  CHECK(!relative_below("/src/app", "/src/apple/b.py"));
  CHECK(!relative_below("/src/app", "/src"));
  CHECK(relative_below("/", "/x") == std::optional<std::string>("x"));
}

TEST_CASE("watch rules come from develop.watch, what compose refuses is refused by name", "[watch]") {
  auto project = project_with(json::parse(R"({
    "web": {"build": {"context": "/nonexistent-context"}, "develop": {"watch": [
      {"action": "sync", "path": "/src/app/", "target": "/app", "ignore": ["*.pyc"]},
      {"action": "rebuild", "path": "/src/requirements.txt"},
      {"action": "sync+exec", "path": "/src/conf", "target": "/etc/app", "exec": {"command": ["kill", "-HUP", "1"]}}
    ]}},
    "db": {"image": "redis"}
  })"));
  auto rules = watch_rules(project, {});
  REQUIRE(rules.size() == 3);
  CHECK(rules[0].action == WatchAction::Sync);
  CHECK(rules[0].path == "/src/app");
  CHECK(rules[1].action == WatchAction::Rebuild);
  CHECK(rules[2].exec != nullptr);
  CHECK(!rules[0].path_in_context);  // outside the build context: no .dockerignore applies

  CHECK_THROWS_WITH(watch_rules(project, {"db"}), Catch::Contains("none of the selected services has a develop.watch"));

  struct Bad {
    const char* rule;
    const char* message;
  } bad[] = {
      {R"({"action": "sync", "path": "/src"})", "action sync needs a target"},
      {R"({"action": "sync", "path": "/src", "target": "app"})", "target must be an absolute path"},
      {R"({"action": "rebuild", "path": "/src"})", "action rebuild needs a build section"},
      {R"({"action": "sync+exec", "path": "/src", "target": "/app"})", "needs exec.command"},
      {R"({"action": "copy", "path": "/src", "target": "/app"})", "unknown watch action \"copy\""},
  };
  for (const auto& b : bad) {
    CAPTURE(b.rule);
    auto p = project_with(json{{"svc", {{"image", "x"}, {"develop", {{"watch", json::array({json::parse(b.rule)})}}}}}});
    CHECK_THROWS_WITH(watch_rules(p, {}), Catch::Contains(b.message) && Catch::Contains("develop.watch[0]"));
  }
}

TEST_CASE("a sync rule into a bind mount is marked", "[watch]") {
  auto project = project_with(json::parse(R"({
    "web": {"image": "x",
            "volumes": [{"type": "bind", "source": "/src/app", "target": "/app"}],
            "develop": {"watch": [{"action": "sync", "path": "/src/app", "target": "/app/code"},
                                  {"action": "sync", "path": "/src/conf", "target": "/etc/app"}]}}
  })"));
  auto rules = watch_rules(project, {});
  CHECK(rules[0].bind_mounted_from == "/src/app");
  CHECK(rules[1].bind_mounted_from.empty());
}

TEST_CASE("a batch is due after the quiet period, or at the latest max_delay after its first change", "[watch]") {
  using namespace std::chrono_literals;
  ChangeBatcher batcher(50ms, 1000ms);
  auto t0 = ChangeBatcher::Clock::time_point{} + 10s;
  CHECK(!batcher.due_in(t0));
  batcher.add("/a", t0);
  CHECK(batcher.due_in(t0) == std::optional(50ms));
  batcher.add("/b", t0 + 30ms);  // a second save within the quiet period: same batch
  CHECK(batcher.due_in(t0 + 40ms) == std::optional(40ms));
  CHECK(batcher.due_in(t0 + 80ms) == std::optional(0ms));
  // Changes every 30 ms never leave a quiet period: max_delay bounds the wait.
  ChangeBatcher busy(50ms, 1000ms);
  for (int i = 0; i < 40; ++i) busy.add("/f" + std::to_string(i), t0 + i * 30ms);
  CHECK(busy.due_in(t0 + 1000ms) == std::optional(0ms));
  CHECK(batcher.take() == std::set<std::string>{"/a", "/b"});
  CHECK(batcher.empty());
}

TEST_CASE("one batch: a rebuild wins, syncs, restarts and execs per rule", "[watch]") {
  std::vector<WatchRule> rules(4);
  rules[0] = rule_with({});
  rules[0].action = WatchAction::SyncExec;
  rules[1].service = "web";
  rules[1].action = WatchAction::Rebuild;
  rules[1].path = "/src/requirements.txt";
  rules[2].service = "worker";
  rules[2].action = WatchAction::SyncRestart;
  rules[2].path = "/src/app";
  rules[2].target = "/code";
  rules[3].service = "worker";
  rules[3].action = WatchAction::Restart;
  rules[3].path = "/src/conf";

  auto syncs_only = changes_by_service(rules, {"/src/app/a.py", "/src/app/.a.py.swp", "/elsewhere/x"});
  REQUIRE(syncs_only.count("web"));
  CHECK(!syncs_only["web"].rebuild);
  CHECK(syncs_only["web"].synced.at(&rules[0]) == std::set<std::string>{"a.py"});
  CHECK(syncs_only["web"].exec_rules == std::vector<const WatchRule*>{&rules[0]});
  CHECK(syncs_only["worker"].synced.at(&rules[2]) == std::set<std::string>{"a.py"});
  CHECK(syncs_only["worker"].restart_rules.count(&rules[2]));

  auto with_rebuild = changes_by_service(rules, {"/src/app/a.py", "/src/requirements.txt", "/src/conf/x.ini"});
  CHECK(with_rebuild["web"].rebuild);
  CHECK(with_rebuild["web"].rebuild_paths == std::set<std::string>{"requirements.txt"});
  CHECK(with_rebuild["worker"].restart_rules.count(&rules[3]));
  CHECK(!with_rebuild["worker"].rebuild);
}
