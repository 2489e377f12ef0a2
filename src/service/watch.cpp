// `watch` and the loop `up --watch` shares with it (project_watcher.h).
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "berth/engine/engine.h"
#include "berth/engine/tar.h"
#include "berth/exec/hooks.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/service/images.h"
#include "berth/ui/progress.h"
#include "berth/util/error.h"
#include "file_watcher.h"
#include "operations.h"
#include "prepare.h"
#include "project_loading.h"
#include "project_watcher.h"
#include "session.h"
#include "signal_watch.h"

namespace berth::service {

using nlohmann::json;
using ui::ProgressState;
namespace L = model::labels;

namespace {

// Files up to this size are read when listed (a file saved again while it
// is sent must not break the archive); bigger ones are read while sent.
constexpr std::uint64_t kReadWhenListed = 8u << 20;

std::string join_container_path(const std::string& target, const std::string& relative) {
  if (relative.empty()) return target;
  return target == "/" ? "/" + relative : target + "/" + relative;
}

// "app.py, lib/x.py and 3 more"
std::string summary(const std::set<std::string>& names) {
  std::string out;
  size_t shown = 0;
  for (const auto& n : names) {
    if (shown == 5) {
      out += " and " + std::to_string(names.size() - shown) + " more";
      break;
    }
    out += (shown ? ", " : "") + (n.empty() ? std::string(".") : n);
    ++shown;
  }
  return out;
}

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::optional<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A numeric uid or gid, or nullopt when the text is not one (an absurd
// "user: 99999999999" included).
std::optional<unsigned> numeric_id(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// One line of an exec's output (`id -u`), or nullopt when it failed.
std::optional<unsigned> exec_number(engine::Engine& engine, const std::string& container, const char* flag) {
  std::string line;
  auto result = exec::run_hook(engine, container, json{{"command", {"id", flag}}},
                               [&](std::string_view l) { if (line.empty()) line = l; });
  if (result.exit_code != 0) return std::nullopt;
  return numeric_id(line);
}

bool all_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

ProjectWatcher::ProjectWatcher(const GlobalOptions& global, const model::Project& project, const WatchOptions& options,
                               engine::Engine& engine, ui::ProgressSink& progress)
    : global_(global), project_(project), options_(options), engine_(engine), progress_(progress),
      rules_(watch_rules(project, options.services)) {}

ProjectWatcher::~ProjectWatcher() = default;

std::vector<std::string> ProjectWatcher::running_containers(const std::string& service) {
  engine::ListContainersOptions list;
  list.filters["label"] = {std::string(L::kProject) + "=" + project_.name, std::string(L::kService) + "=" + service,
                           std::string(L::kOneoff) + "=False"};
  list.filters["status"] = {"running"};
  std::vector<std::string> ids;
  for (const auto& c : engine_.list_containers(list)) ids.push_back(c.id);
  return ids;
}

// The container's user, as files synced into it should belong to: its
// Config.User when numeric, else what `id` says in the container (a name
// only the container's /etc/passwd knows).
ProjectWatcher::Owner ProjectWatcher::owner_of(const std::string& container) {
  if (auto it = owners_.find(container); it != owners_.end()) return it->second;
  Owner owner;
  const std::string user = engine_.inspect_container(container)["Config"].value("User", "");
  if (!user.empty() && user != "root" && user != "0" && user != "0:0") {
    const auto colon = user.find(':');
    const std::string name = user.substr(0, colon);
    const std::string group = colon == std::string::npos ? "" : user.substr(colon + 1);
    std::optional<unsigned> uid = all_digits(name) ? numeric_id(name)
                                                   : exec_number(engine_, container, "-u");
    std::optional<unsigned> gid = all_digits(group) ? numeric_id(group)
                                                    : exec_number(engine_, container, "-g");
    if (!uid || !gid)
      progress_.message("WARN container " + container.substr(0, 12) + ": cannot tell the uid/gid of user \"" + user +
                        "\" (no `id` in the image?): synced files belong to root");
    owner.uid = uid.value_or(0);
    owner.gid = gid.value_or(uid ? *uid : 0);
  }
  owners_[container] = owner;
  return owner;
}

bool ProjectWatcher::sync(const std::string& service, const WatchRule& rule, const std::set<std::string>& relative,
                          const std::vector<std::string>& containers) {
  std::vector<engine::TarSourceEntry> entries;
  std::vector<std::string> deleted;
  std::set<std::string> copied_names, deleted_names;
  for (const auto& rel : relative) {
    const std::string host = rel.empty() ? rule.path : rule.path + "/" + rel;
    const std::string in_container = join_container_path(rule.target, rel);
    struct stat st {};
    if (::lstat(host.c_str(), &st) != 0) {
      deleted.push_back(in_container);
      deleted_names.insert(rel);
      continue;
    }
    engine::TarSourceEntry e;
    e.header.name = in_container.substr(1);
    e.header.mode = st.st_mode & 07777;
    e.header.mtime = st.st_mtime;
    if (S_ISDIR(st.st_mode)) {
      if (rel.empty()) continue;  // the target itself keeps its owner and mode
      e.header.type = '5';
      e.header.name += "/";
    } else if (S_ISLNK(st.st_mode)) {
      e.header.type = '2';
      std::error_code ec;
      e.header.link_target = std::filesystem::read_symlink(host, ec).string();
      if (ec) continue;
    } else if (S_ISREG(st.st_mode)) {
      e.header.type = '0';
      if (static_cast<std::uint64_t>(st.st_size) <= kReadWhenListed) {
        auto content = read_small_file(host);
        if (!content) {  // gone or unreadable since the event
          if (::access(host.c_str(), F_OK) != 0) {
            deleted.push_back(in_container);
            deleted_names.insert(rel);
          }
          continue;
        }
        e.header.content = std::move(*content);
        e.size = e.header.content.size();
      } else {
        e.source = host;
        e.size = static_cast<std::uint64_t>(st.st_size);
      }
      copied_names.insert(rel);
    } else {
      continue;  // sockets, FIFOs, devices: nothing to sync
    }
    entries.push_back(std::move(e));
  }
  if (entries.empty() && deleted.empty()) return true;
  std::sort(entries.begin(), entries.end(),
            [](const engine::TarSourceEntry& a, const engine::TarSourceEntry& b) { return a.header.name < b.header.name; });

  const std::string resource = "Service " + service;
  std::string what;
  if (!copied_names.empty()) what += "copied " + summary(copied_names);
  if (!deleted_names.empty()) what += (what.empty() ? "removed " : "; removed ") + summary(deleted_names);
  what += " (" + rule.target + ", " + plural(containers.size(), "container", "containers") + ")";
  try {
    for (const auto& container : containers) {
      const Owner owner = owner_of(container);
      if (!entries.empty()) {
        auto owned = entries;
        for (auto& e : owned) {
          e.header.uid = owner.uid;
          e.header.gid = owner.gid;
        }
        engine_.put_archive(container, "/", engine::tar_body(std::move(owned)));
      }
      if (!deleted.empty()) {
        json rm = {{"command", json::array({"rm", "-rf", "--"})}};
        for (const auto& path : deleted) rm["command"].push_back(path);
        auto result = exec::run_hook(engine_, container, rm);
        // The container's user may not own the directory; root may.
        if (result.exit_code != 0) {
          rm["user"] = "0";
          result = exec::run_hook(engine_, container, rm);
        }
        if (result.exit_code != 0)
          throw Error(ErrorKind::Engine, exec::describe_hook_failure("removing with", rm, result));
      }
    }
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Interrupted) throw;
    progress_.report(resource, "Error", ProgressState::Error, "sync of " + summary(relative) + ": " + e.message());
    return false;
  }
  progress_.report(resource, "Synced", ProgressState::Done, what);
  return true;
}

void ProjectWatcher::rebuild(const std::string& service, const std::set<std::string>& why) {
  const std::string resource = "Service " + service;
  progress_.report(resource, "Rebuilding", ProgressState::Working, "changed: " + summary(why));
  try {
    auto project = load_project(global_, {service}, ProjectFiles::Required);
    const model::Service* s = project.find_service(service);
    std::string old_image;
    try {
      old_image = engine_.inspect_image(s->image_name(project.name)).value("Id", "");
    } catch (const Error&) {
      // not built yet
    }
    RunContext ctx{engine_, progress_, global_.parallel, false, stop_};
    ImageOptions images;
    images.build = ImageOptions::Build::Always;
    images.quiet_build = options_.quiet;
    prepare_containers(project, {service}, /*no_deps=*/true, images, ctx, global_);
    plan::ConvergeOptions converge_options;
    converge_options.services = {service};
    converge_options.no_deps = true;
    converge_options.all_resources = global_.project.all_resources;
    converge(project, converge_options, ctx);
    if (options_.prune && !old_image.empty()) {
      std::string new_image;
      try {
        new_image = engine_.inspect_image(s->image_name(project.name)).value("Id", "");
      } catch (const Error&) {
      }
      if (new_image != old_image) {
        try {
          engine_.remove_image(old_image);  // only when nothing uses or names it any more
        } catch (const Error&) {
        }
      }
    }
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Interrupted) throw;
    progress_.report(resource, "Error", ProgressState::Error, "rebuild: " + e.message());
    return;
  }
  progress_.report(resource, "Rebuilt", ProgressState::Done, "changed: " + summary(why));
}

void ProjectWatcher::handle(const std::string& service, const ServiceChanges& changes) {
  if (changes.rebuild) {
    // The new image has the synced files too: the rebuild is all there is to do.
    rebuild(service, changes.rebuild_paths);
    return;
  }
  const std::string resource = "Service " + service;
  std::vector<std::string> containers;
  try {
    containers = running_containers(service);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Interrupted) throw;
    progress_.report(resource, "Error", ProgressState::Error, e.message());
    return;
  }
  if (containers.empty()) {
    progress_.report(resource, "Skipped", ProgressState::Warning, "no running container");
    return;
  }
  bool synced = true;
  for (const auto& [rule, paths] : changes.synced) synced = sync(service, *rule, paths, containers) && synced;
  if (!synced) return;  // no restart or exec on files that did not arrive
  if (!changes.restart_rules.empty()) {
    progress_.report(resource, "Restarting", ProgressState::Working);
    try {
      for (const auto& c : containers) engine_.restart_container(c);
      owners_.clear();
      progress_.report(resource, "Restarted", ProgressState::Done, plural(containers.size(), "container", "containers"));
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::Interrupted) throw;
      progress_.report(resource, "Error", ProgressState::Error, "restart: " + e.message());
      return;
    }
  }
  for (const WatchRule* rule : changes.exec_rules) {
    for (const auto& c : containers) {
      try {
        auto result = exec::run_hook(engine_, c, *rule->exec);
        if (result.exit_code != 0) {
          progress_.report(resource, "Error", ProgressState::Error,
                           "container " + c.substr(0, 12) + ": " + exec::describe_hook_failure("exec", *rule->exec, result));
          continue;
        }
        progress_.report(resource, "Executed", ProgressState::Done, "container " + c.substr(0, 12));
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::Interrupted) throw;
        progress_.report(resource, "Error", ProgressState::Error, "exec: " + e.message());
      }
    }
  }
}

void ProjectWatcher::initial_sync() {
  for (const auto& rule : rules_) {
    if (!rule.initial_sync || !syncs(rule.action)) continue;
    std::set<std::string> relative;
    const auto descend = [&rule](const std::string& dir) { return rule.descends_into(dir); };
    for (const auto& path : scan_tree(rule.path, descend))
      if (auto rel = relative_below(rule.path, path); rel && rule.takes(*rel)) relative.insert(*rel);
    if (relative.empty()) continue;
    auto containers = running_containers(rule.service);
    if (containers.empty()) continue;
    sync(rule.service, rule, relative, containers);
  }
}

void ProjectWatcher::run(const std::function<bool()>& stop) {
  stop_ = stop;
  for (auto it = rules_.begin(); it != rules_.end();) {
    if (it->bind_mounted_from.empty()) {
      ++it;
      continue;
    }
    progress_.message("WARN service \"" + it->service + "\": develop.watch[" + std::to_string(it->index) +
                      "] syncs into " + it->target + ", which is bind-mounted from " + it->bind_mounted_from +
                      ": the files are there already; the rule is skipped");
    it = rules_.erase(it);
  }
  if (rules_.empty())
    throw Error(ErrorKind::Usage, "every develop.watch rule syncs into a bind mount: nothing to watch");
  FileWatcher files;
  // One watch per path, descending where any of its rules may take files.
  std::map<std::string, std::vector<const WatchRule*>> by_path;
  for (const auto& rule : rules_) by_path[rule.path].push_back(&rule);
  for (const auto& [path, rules] : by_path)
    files.add(path, [rules = rules](const std::string& dir) {
      return std::any_of(rules.begin(), rules.end(), [&](const WatchRule* rule) { return rule->descends_into(dir); });
    });
  initial_sync();
  std::string watched;
  for (const auto& [path, rules] : by_path) {
    std::set<std::string> services;
    for (const auto* r : rules) services.insert(r->service);
    watched += (watched.empty() ? "" : ", ") + path + " (" + summary(services) + ")";
  }
  progress_.message("Watch enabled: " + watched);

  ChangeBatcher batcher;
  while (!stop()) {
    int timeout_ms = 200;
    if (auto due = batcher.due_in(ChangeBatcher::Clock::now()))
      timeout_ms = static_cast<int>(std::min<long long>(timeout_ms, due->count()));
    struct pollfd p {files.fd(), POLLIN, 0};
    int ready = ::poll(&p, 1, timeout_ms);
    if (ready > 0) {
      FileWatcher::Changes changes;
      files.read(changes);
      if (changes.overflowed) changes.paths.merge(files.scan());
      const auto now = ChangeBatcher::Clock::now();
      for (const auto& path : changes.paths) batcher.add(path, now);
    }
    auto due = batcher.due_in(ChangeBatcher::Clock::now());
    if (!due || due->count() > 0 || stop()) continue;
    for (const auto& [service, changes] : changes_by_service(rules_, batcher.take())) handle(service, changes);
  }
}

int watch(const GlobalOptions& global, const WatchOptions& options) {
  // Watching is a long stream of actions: lines, not a live view that
  // redraws a growing history.
  GlobalOptions lines = global;
  if (lines.progress == "auto" || lines.progress == "tty") lines.progress = "plain";
  auto project = load_project(lines, options.services, ProjectFiles::Required);
  // Bad rules fail before anything starts.
  watch_rules(project, options.services);

  // Ctrl-C ends watching (exit 0, as logs -f). A second signal within a
  // second is the same Ctrl-C delivered twice (timeout(1) and the process
  // group each send one); a later one forces the exit.
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> first_signal_ms{0};
  auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  Session session(lines, SessionOutput::Progress, SessionSignals::Left);
  session.context().interrupted = [&] { return stop.load(); };
  SignalWatch signals([&](int, int count) {
    if (count == 1) {
      first_signal_ms = now_ms();
      stop = true;
    } else if (now_ms() - first_signal_ms.load() > 1000) {
      ::_exit(130);
    }
  });
  signals.ignore_when_done();
  if (!options.no_up) {
    session.run([&] {
      ImageOptions images;
      images.quiet_build = options.quiet;
      prepare_containers(project, options.services, false, images, session.context(), lines);
      plan::ConvergeOptions converge_options;
      converge_options.services = options.services;
      converge_options.all_resources = lines.project.all_resources;
      converge(project, converge_options, session.context());
    });
  }
  if (lines.dry_run) {
    session.progress().message("dry run: the plan above is what `watch` would start with; nothing is watched");
    return 0;
  }
  ProjectWatcher watcher(lines, project, options, session.engine(), session.progress());
  try {
    watcher.run([&] { return stop.load(); });
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Interrupted) throw;
  }
  session.progress().finish();
  return 0;
}

}  // namespace berth::service
