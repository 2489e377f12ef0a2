#include "berth/plan/graph.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "berth/util/error.h"

namespace berth::plan {

size_t Graph::add_node(std::string name) {
  names_.push_back(std::move(name));
  dependencies_.emplace_back();
  dependents_.emplace_back();
  return names_.size() - 1;
}

void Graph::add_dependency(size_t node, size_t dependency) {
  for (size_t existing : dependencies_[node])
    if (existing == dependency) return;
  dependencies_[node].push_back(dependency);
  dependents_[dependency].push_back(node);
}

std::vector<std::string> Graph::find_cycle() const {
  enum class Mark { Unvisited, OnPath, Done };
  std::vector<Mark> marks(size(), Mark::Unvisited);
  // Iterative depth-first search: deep dependency chains must not overflow the stack.
  struct Frame {
    size_t node;
    size_t next_edge;
  };
  for (size_t start = 0; start < size(); ++start) {
    if (marks[start] != Mark::Unvisited) continue;
    std::vector<Frame> path{{start, 0}};
    marks[start] = Mark::OnPath;
    while (!path.empty()) {
      Frame& top = path.back();
      const auto& edges = dependencies_[top.node];
      if (top.next_edge == edges.size()) {
        marks[top.node] = Mark::Done;
        path.pop_back();
        continue;
      }
      size_t next = edges[top.next_edge++];
      if (marks[next] == Mark::OnPath) {
        std::vector<std::string> cycle;
        size_t i = 0;
        while (path[i].node != next) ++i;
        for (; i < path.size(); ++i) cycle.push_back(names_[path[i].node]);
        cycle.push_back(names_[next]);
        return cycle;
      }
      if (marks[next] == Mark::Unvisited) {
        marks[next] = Mark::OnPath;
        path.push_back({next, 0});
      }
    }
  }
  return {};
}

std::string describe_cycle(const std::vector<std::string>& cycle) {
  std::string out;
  for (const auto& name : cycle) {
    if (!out.empty()) out += " -> ";
    out += name;
  }
  return out;
}

WalkResult walk(const Graph& graph, const WalkOptions& options,
                const std::function<void(size_t)>& visit) {
  const bool forward = options.order == WalkOrder::DependenciesFirst;
  auto waits_for = [&](size_t n) -> const std::vector<size_t>& {
    return forward ? graph.dependencies(n) : graph.dependents(n);
  };
  auto unblocks = [&](size_t n) -> const std::vector<size_t>& {
    return forward ? graph.dependents(n) : graph.dependencies(n);
  };

  const size_t n = graph.size();
  const size_t limit = options.parallelism > 0 ? static_cast<size_t>(options.parallelism) : n;
  std::vector<size_t> pending(n);
  std::deque<size_t> ready;
  for (size_t i = 0; i < n; ++i) {
    pending[i] = waits_for(i).size();
    if (pending[i] == 0) ready.push_back(i);
  }

  std::mutex mutex;
  std::condition_variable changed;
  size_t running = 0, finished = 0;
  bool stopping = false;
  std::vector<bool> started(n, false);
  WalkResult result;
  std::vector<std::thread> workers;

  std::unique_lock lock(mutex);
  while (true) {
    if (!stopping && options.stop_requested && options.stop_requested()) stopping = true;
    while (!stopping && !ready.empty() && running < limit) {
      size_t node = ready.front();
      ready.pop_front();
      started[node] = true;
      ++running;
      // A thread per visit: visits are engine calls that mostly wait, and
      // their number is bounded by `limit`.
      workers.emplace_back([&, node] {
        std::string failure;
        bool failed = false;
        try {
          visit(node);
        } catch (const std::exception& e) {
          failed = true;
          failure = e.what();
        } catch (...) {
          failed = true;
          failure = "unknown error";
        }
        std::lock_guard guard(mutex);
        --running;
        ++finished;
        if (failed) {
          result.failures.push_back({node, std::move(failure)});
          stopping = true;
        } else {
          for (size_t next : unblocks(node))
            if (--pending[next] == 0) ready.push_back(next);
        }
        changed.notify_all();
      });
    }
    if (running == 0 && (stopping || ready.empty())) break;
    // Wake up periodically to poll stop_requested even while nothing finishes.
    changed.wait_for(lock, std::chrono::milliseconds(50));
  }
  lock.unlock();
  for (auto& t : workers) t.join();
  for (size_t i = 0; i < n; ++i)
    if (!started[i]) result.skipped.push_back(i);
  return result;
}

}  // namespace berth::plan
