#pragma once
// The loop behind `watch` and `up --watch`: file events batched, then per
// service a rebuild (build, recreate that service alone) or syncs into
// every running replica (changed files as a tar through the archive API,
// owned by the container's user; deletions removed), then restarts and
// execs. Each action is one progress event; a failure is reported and
// watching goes on. Internal to service.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "berth/service/global_options.h"
#include "berth/service/watch.h"
#include "watch_rules.h"

namespace berth::engine {
class Engine;
}
namespace berth::model {
struct Project;
}
namespace berth::ui {
class ProgressSink;
}

namespace berth::service {

class ProjectWatcher {
 public:
  // `project` is the loaded project (the rules point into it; it must
  // outlive the watcher).
  ProjectWatcher(const GlobalOptions& global, const model::Project& project, const WatchOptions& options,
                 engine::Engine& engine, ui::ProgressSink& progress);
  ~ProjectWatcher();

  // Initial syncs, then watches until `stop` returns true (polled a few
  // times a second).
  void run(const std::function<bool()>& stop);

 private:
  struct Owner {
    unsigned uid = 0;
    unsigned gid = 0;
  };
  void handle(const std::string& service, const ServiceChanges& changes);
  void rebuild(const std::string& service, const std::set<std::string>& why);
  bool sync(const std::string& service, const WatchRule& rule, const std::set<std::string>& relative,
            const std::vector<std::string>& containers);
  std::vector<std::string> running_containers(const std::string& service);
  Owner owner_of(const std::string& container);
  void initial_sync();

  GlobalOptions global_;
  const model::Project& project_;
  WatchOptions options_;
  engine::Engine& engine_;
  ui::ProgressSink& progress_;
  std::vector<WatchRule> rules_;
  std::map<std::string, Owner> owners_;  // by container ID
  std::function<bool()> stop_;
};

}  // namespace berth::service
