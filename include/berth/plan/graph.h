#pragma once
// A dependency graph of named nodes (services, or the actions of a plan) and
// the parallel walk over it that both `up` (dependencies first) and `down`
// (dependents first) use.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace berth::plan {

class Graph {
 public:
  // Returns the new node's index; names are for messages only.
  size_t add_node(std::string name);
  // `node` may start only after `dependency` finished (in a forward walk).
  void add_dependency(size_t node, size_t dependency);

  size_t size() const { return names_.size(); }
  const std::string& name(size_t node) const { return names_[node]; }
  const std::vector<size_t>& dependencies(size_t node) const { return dependencies_[node]; }
  const std::vector<size_t>& dependents(size_t node) const { return dependents_[node]; }

  // The first cycle found, as node names with the first repeated at the end
  // ("a", "b", "a"); empty when the graph is acyclic.
  std::vector<std::string> find_cycle() const;

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<size_t>> dependencies_;
  std::vector<std::vector<size_t>> dependents_;
};

// "a -> b -> a"
std::string describe_cycle(const std::vector<std::string>& cycle);

enum class WalkOrder {
  DependenciesFirst,  // up, start, create
  DependentsFirst,    // down, stop
};

struct WalkFailure {
  size_t node;
  std::string message;
};

struct WalkResult {
  std::vector<WalkFailure> failures;  // in the order they happened
  std::vector<size_t> skipped;        // never started because of a failure or a stop request
  bool ok() const { return failures.empty() && skipped.empty(); }
};

struct WalkOptions {
  WalkOrder order = WalkOrder::DependenciesFirst;
  int parallelism = -1;  // at most this many visits at once; <= 0 means unlimited
  // Polled before each dispatch: returning true stops starting new visits
  // (Ctrl-C); running visits finish.
  std::function<bool()> stop_requested;
};

// Calls `visit(node)` for every node once, each as soon as all nodes it
// waits for have finished, up to `parallelism` at once, on worker threads.
// A visit fails by throwing; after the first failure no new visit starts,
// running ones finish, and every failure is reported. The graph must be
// acyclic (check with find_cycle first).
WalkResult walk(const Graph& graph, const WalkOptions& options,
                const std::function<void(size_t node)>& visit);

}  // namespace berth::plan
