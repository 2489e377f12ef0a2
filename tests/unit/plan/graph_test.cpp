#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "berth/plan/graph.h"

using namespace berth::plan;

namespace {

// db <- api <- web, db <- worker
struct Stack {
  Graph g;
  size_t db = g.add_node("db");
  size_t api = g.add_node("api");
  size_t web = g.add_node("web");
  size_t worker = g.add_node("worker");
  Stack() {
    g.add_dependency(api, db);
    g.add_dependency(web, api);
    g.add_dependency(worker, db);
  }
};

std::vector<size_t> record_order(const Graph& g, WalkOptions opts) {
  std::mutex m;
  std::vector<size_t> order;
  auto r = walk(g, opts, [&](size_t n) {
    std::lock_guard l(m);
    order.push_back(n);
  });
  REQUIRE(r.ok());
  return order;
}

size_t position(const std::vector<size_t>& order, size_t node) {
  return static_cast<size_t>(std::find(order.begin(), order.end(), node) - order.begin());
}

}  // namespace

TEST_CASE("find_cycle names the cycle in dependency order") {
  struct Case {
    std::vector<std::pair<int, int>> edges;
    std::string expected;
  };
  std::vector<Case> cases{
      {{}, ""},
      {{{0, 1}, {1, 2}}, ""},
      {{{0, 1}, {1, 0}}, "a -> b -> a"},
      {{{0, 0}}, "a -> a"},
      {{{0, 1}, {1, 2}, {2, 1}}, "b -> c -> b"},
      {{{0, 1}, {0, 2}, {1, 3}, {2, 3}}, ""},  // diamond
  };
  for (const auto& c : cases) {
    Graph g;
    for (const char* name : {"a", "b", "c", "d"}) g.add_node(name);
    for (auto [from, to] : c.edges) g.add_dependency(from, to);
    CAPTURE(c.expected);
    CHECK(describe_cycle(g.find_cycle()) == c.expected);
  }
}

TEST_CASE("find_cycle handles long chains without recursion") {
  Graph g;
  for (int i = 0; i < 100000; ++i) g.add_node("n" + std::to_string(i));
  for (size_t i = 0; i + 1 < g.size(); ++i) g.add_dependency(i, i + 1);
  CHECK(g.find_cycle().empty());
}

TEST_CASE("walk visits dependencies first, or dependents first in reverse") {
  Stack s;
  for (int parallelism : {1, 2, -1}) {
    CAPTURE(parallelism);
    auto up = record_order(s.g, {WalkOrder::DependenciesFirst, parallelism, nullptr});
    REQUIRE(up.size() == 4);
    CHECK(position(up, s.db) < position(up, s.api));
    CHECK(position(up, s.api) < position(up, s.web));
    CHECK(position(up, s.db) < position(up, s.worker));

    auto down = record_order(s.g, {WalkOrder::DependentsFirst, parallelism, nullptr});
    REQUIRE(down.size() == 4);
    CHECK(position(down, s.web) < position(down, s.api));
    CHECK(position(down, s.api) < position(down, s.db));
    CHECK(position(down, s.worker) < position(down, s.db));
  }
}

TEST_CASE("walk runs independent nodes in parallel up to the limit") {
  Graph g;
  for (int i = 0; i < 8; ++i) g.add_node("n" + std::to_string(i));
  for (int limit : {1, 3, -1}) {
    std::atomic<int> now{0}, peak{0};
    auto r = walk(g, {WalkOrder::DependenciesFirst, limit, nullptr}, [&](size_t) {
      int v = ++now;
      int p = peak.load();
      while (v > p && !peak.compare_exchange_weak(p, v)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --now;
    });
    CHECK(r.ok());
    CAPTURE(limit);
    if (limit > 0) CHECK(peak.load() <= limit);
    CHECK(peak.load() > (limit == 1 ? 0 : 1));
  }
}

TEST_CASE("a failure stops new work, lets running work finish, and reports every failure") {
  Stack s;
  std::mutex m;
  std::vector<size_t> visited;
  auto r = walk(s.g, {WalkOrder::DependenciesFirst, -1, nullptr}, [&](size_t n) {
    {
      std::lock_guard l(m);
      visited.push_back(n);
    }
    if (n == s.api) throw std::runtime_error("api failed");
  });
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].node == s.api);
  CHECK(r.failures[0].message == "api failed");
  // web depends on api: never started.
  CHECK(std::find(visited.begin(), visited.end(), s.web) == visited.end());
  CHECK(std::find(r.skipped.begin(), r.skipped.end(), s.web) != r.skipped.end());
}

TEST_CASE("stop_requested stops dispatching") {
  Stack s;
  std::atomic<int> visits{0};
  auto r = walk(s.g, {WalkOrder::DependenciesFirst, 1, [] { return true; }},
                [&](size_t) { ++visits; });
  CHECK(visits == 0);
  CHECK(r.skipped.size() == 4);
  CHECK_FALSE(r.ok());
}

TEST_CASE("walk over a cycle ends without visiting the nodes on it") {
  Graph g;
  size_t a = g.add_node("a"), b = g.add_node("b"), c = g.add_node("c");
  g.add_dependency(a, b);
  g.add_dependency(b, a);
  std::atomic<int> visits{0};
  auto r = walk(g, {}, [&](size_t) { ++visits; });
  CHECK(visits == 1);  // only c
  CHECK(r.skipped.size() == 2);
  (void)c;
}
