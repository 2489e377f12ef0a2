#pragma once
// What `watch` does with a changed path: the services' develop.watch rules
// read from the model, the files each rule lets through (the build
// context's .dockerignore, the rule's ignore and include, editor temp files
// and .git), and the batching of file events into actions. Pure: no engine,
// no file events. Internal to service.
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "berth/builder/dockerignore.h"

namespace berth::model {
struct Project;
struct Service;
}  // namespace berth::model

namespace berth::service {

enum class WatchAction { Sync, Rebuild, Restart, SyncRestart, SyncExec };

const char* to_string(WatchAction action);
bool syncs(WatchAction action);

struct WatchRule {
  std::string service;
  size_t index = 0;         // in develop.watch, for messages
  WatchAction action = WatchAction::Sync;
  std::string path;          // absolute, without a trailing "/"
  std::string target;        // in the container (sync actions)
  bool initial_sync = false;
  const nlohmann::json* exec = nullptr;  // sync+exec: the hook to run
  builder::IgnoreMatcher ignore;         // the rule's ignore, relative to `path`
  builder::IgnoreMatcher include;        // the rule's include (empty: everything)
  // The build context's .dockerignore, and `path` relative to the context
  // ("" when `path` is the context, nullopt when outside it).
  builder::IgnoreMatcher dockerignore;
  std::optional<std::string> path_in_context;
  // A sync rule whose target lies in a bind mount of the service: the host
  // directory it binds (syncing there would write the host's files, which
  // the watch would see again). Empty otherwise.
  std::string bind_mounted_from;

  // Whether the file or directory at `relative` (below `path`, "/"-separated;
  // "" for `path` itself) is one this rule acts on.
  bool takes(const std::string& relative) const;
  // Whether a directory below `path` may hold files the rule takes (a
  // directory that is excluded with no exception below it is not watched).
  bool descends(const std::string& relative) const;
  // descends() for an absolute directory (false outside `path`).
  bool descends_into(const std::string& directory) const;
};

// The rules of `services` (every service with develop.watch when empty), in
// file order. Throws berth::Error (Config) for a rule compose would refuse:
// sync actions without `target`, rebuild without `build`, an unknown
// action; (Usage) when none of the services has a develop.watch section.
std::vector<WatchRule> watch_rules(const model::Project& project, const std::vector<std::string>& services);

// Editor and VCS noise: vim's swap files and 4913 probe, emacs' backups and
// locks, JetBrains' safe-write files, LibreOffice locks, and anything in .git.
bool is_editor_noise(const std::string& relative);

// `absolute` below `root` ("" for the root itself), or nullopt.
std::optional<std::string> relative_below(const std::string& root, const std::string& absolute);

// Gathers changed paths into batches: a batch is due once no new change came
// for the quiet period (an IDE saving twenty files writes them within a few
// milliseconds: one batch), or when the first change of the batch is
// `max_delay` old (a long stream of writes still syncs).
class ChangeBatcher {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ChangeBatcher(std::chrono::milliseconds quiet = std::chrono::milliseconds(50),
                         std::chrono::milliseconds max_delay = std::chrono::milliseconds(1000))
      : quiet_(quiet), max_delay_(max_delay) {}

  void add(const std::string& path, Clock::time_point now);
  bool empty() const { return paths_.empty(); }
  // How long until the batch is due (zero: now); nullopt when empty.
  std::optional<std::chrono::milliseconds> due_in(Clock::time_point now) const;
  std::set<std::string> take();

 private:
  std::chrono::milliseconds quiet_;
  std::chrono::milliseconds max_delay_;
  std::set<std::string> paths_;
  Clock::time_point first_{};
  Clock::time_point last_{};
};

// What one batch asks of one service: its rebuild, or the paths each sync
// rule takes (by rule) and whether to restart or exec afterwards.
struct ServiceChanges {
  bool rebuild = false;
  std::set<std::string> rebuild_paths;  // what made it rebuild, for the message
  std::map<const WatchRule*, std::set<std::string>> synced;  // rule -> relative paths
  std::set<const WatchRule*> restart_rules;
  std::vector<const WatchRule*> exec_rules;  // in rule order, each once
  bool empty() const { return !rebuild && synced.empty() && restart_rules.empty(); }
};

// The changes of `paths` (absolute) for each service, per its rules.
std::map<std::string, ServiceChanges> changes_by_service(const std::vector<WatchRule>& rules,
                                                         const std::set<std::string>& paths);

}  // namespace berth::service
