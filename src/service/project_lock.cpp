#include "project_lock.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/util/error.h"

namespace berth::service {
namespace {

using nlohmann::json;

constexpr const char* kLockLabel = "dev.berth.lock";
constexpr const char* kHostLabel = "dev.berth.lock.host";
constexpr const char* kBootLabel = "dev.berth.lock.boot-id";
constexpr const char* kPidNamespaceLabel = "dev.berth.lock.pid-namespace";
constexpr const char* kPidLabel = "dev.berth.lock.pid";
constexpr const char* kStartLabel = "dev.berth.lock.pid-start";

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The projects this thread holds the lock of: a converge nested in another
// (e.g. `run` bringing up its dependencies) must not wait for itself.
thread_local std::set<std::string> held_by_this_thread;

// The lock container called `name`, if there is one.
std::optional<engine::ContainerSummary> find_lock(engine::Engine& engine, const std::string& name) {
  for (auto& c : engine.list_containers({.all = true, .filters = {{"name", {"^/" + name + "$"}}}}))
    if (!c.names.empty() && c.names.front() == "/" + name) return std::move(c);
  return std::nullopt;
}

std::string describe(const LockHolder& h) {
  if (h.pid == 0) return "an unknown process";
  return "process " + std::to_string(h.pid) + (h.host.empty() ? "" : " on " + h.host);
}

}  // namespace

engine::Labels LockHolder::labels() const {
  return {{kHostLabel, host},
          {kBootLabel, boot_id},
          {kPidNamespaceLabel, pid_namespace},
          {kPidLabel, std::to_string(pid)},
          {kStartLabel, start_time}};
}

LockHolder LockHolder::from_labels(const engine::Labels& labels) {
  LockHolder h;
  h.host = engine::label_value(labels, kHostLabel);
  h.boot_id = engine::label_value(labels, kBootLabel);
  h.pid_namespace = engine::label_value(labels, kPidNamespaceLabel);
  try {
    h.pid = std::stol(engine::label_value(labels, kPidLabel));
  } catch (const std::exception&) {
    h.pid = 0;
  }
  h.start_time = engine::label_value(labels, kStartLabel);
  return h;
}

LockHolder LockHolder::this_process() {
  LockHolder h;
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof host - 1) == 0) h.host = host;
  h.boot_id = first_line("/proc/sys/kernel/random/boot_id");
  char link[256] = {};
  ssize_t n = readlink("/proc/self/ns/pid", link, sizeof link - 1);
  if (n > 0) h.pid_namespace.assign(link, static_cast<size_t>(n));
  h.pid = static_cast<long>(getpid());
  h.start_time = process_start_time(h.pid);
  return h;
}

std::string process_start_time(long pid) {
  // "pid (comm) state ppid ..." where comm may hold spaces and parentheses:
  // the fields after the last ')' start at field 3; starttime is field 22.
  std::string stat = first_line("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22; ++i)
    if (!(fields >> field)) return {};
  return field;
}

HolderState holder_state(const LockHolder& holder, const LockHolder& self,
                         const std::function<std::string(long pid)>& start_time_of) {
  if (holder.pid <= 0 || holder.start_time.empty() || holder.host.empty() || holder.host != self.host ||
      holder.boot_id.empty() || holder.boot_id != self.boot_id || holder.pid_namespace.empty() ||
      holder.pid_namespace != self.pid_namespace)
    return HolderState::Unknown;
  // A reused PID has another start time.
  return start_time_of(holder.pid) == holder.start_time ? HolderState::Alive : HolderState::Gone;
}

std::string project_lock_name(const std::string& project) { return project + "_berth-lock"; }

ProjectLock::ProjectLock(engine::Engine& engine, const std::string& project, const std::string& image,
                         const ProjectLockOptions& options)
    : engine_(engine), project_(project) {
  if (image.empty()) return;
  if (held_by_this_thread.count(project)) {
    held_ = true;  // the outer converge holds it
    return;
  }
  const LockHolder self = LockHolder::this_process();
  json labels = json::object();
  for (const auto& [key, value] : self.labels()) labels[key] = value;
  labels[kLockLabel] = project;
  // A container inherits its image's labels, and an image the project built
  // carries the project's and service's: blank them, or the lock would be
  // seen as one of the project's containers.
  labels[model::labels::kProject] = "";
  labels[model::labels::kService] = "";
  const json body = {{"Image", image},
                     {"Cmd", json::array({"berth-lock"})},
                     {"Labels", std::move(labels)},
                     {"HostConfig", {{"NetworkMode", "none"}}}};
  const std::string name = project_lock_name(project);

  std::string watched;  // the lock container last seen held
  auto watched_since = std::chrono::steady_clock::now();
  bool told = false;
  std::optional<std::chrono::steady_clock::time_point> unlisted_since;
  auto delay = options.poll_initial;
  while (true) {
    try {
      id_ = engine_.create_container(name, body).id;
      held_ = true;
      held_by_this_thread.insert(project);
      return;
    } catch (const Error& e) {
      // The image went away since it was observed: nothing to lock with.
      if (e.kind() == ErrorKind::NotFound) return;
      if (e.kind() != ErrorKind::Conflict) throw;
    }
    if (options.interrupted && options.interrupted())
      throw Error(ErrorKind::Interrupted, "interrupted while waiting for another berth run on project " + project);
    auto current = find_lock(engine_, name);
    if (!current) {
      // Released meanwhile, as a rule. A name that stays taken while the
      // engine lists no container by it is a leftover no API call removes:
      // Podman keeps the storage of a create whose client was cut off.
      const auto now = std::chrono::steady_clock::now();
      if (!unlisted_since) unlisted_since = now;
      if (now - *unlisted_since > options.unlisted_name_limit)
        throw Error(ErrorKind::Conflict,
                    "the container name " + name + " (berth's lock for project " + project +
                        ") is taken, but the engine lists no container by that name; on Podman an interrupted "
                        "create leaves one in its storage: remove it with `podman rm --storage " + name + "`");
      std::this_thread::sleep_for(delay);
      delay = std::min(options.poll_max, delay * 2);
      continue;
    }
    unlisted_since.reset();
    const std::string& id = current->id;
    if (engine::label_value(current->labels, kLockLabel) != project)
      throw Error(ErrorKind::Engine, "the container name " + name + " (berth's lock for project " + project +
                                         ") is taken by a container that is not a berth lock; rename or remove it");
    const LockHolder holder = LockHolder::from_labels(current->labels);
    if (id != watched) {
      watched = id;
      watched_since = std::chrono::steady_clock::now();
    }
    const HolderState state = holder_state(holder, self, process_start_time);
    const bool stale = state == HolderState::Gone ||
                       (state == HolderState::Unknown &&
                        std::chrono::steady_clock::now() - watched_since > options.foreign_stale_after);
    if (stale) {
      try {
        // By ID: never the lock a newer holder created meanwhile.
        engine_.remove_container(id, {.force = true});
      } catch (const Error&) {
        // another waiter took it over first
      }
      continue;
    }
    if (!told && options.waiting) {
      options.waiting("waiting for another berth run on project " + project + " (" + describe(holder) +
                      ", lock container " + name + ")");
      told = true;
    }
    std::this_thread::sleep_for(delay);
    delay = std::min(options.poll_max, delay * 2);
  }
}

ProjectLock::~ProjectLock() {
  if (id_.empty()) return;
  held_by_this_thread.erase(project_);
  try {
    engine_.remove_container(id_, {.force = true});
  } catch (...) {
    // taken over as stale, or the engine is away: the next run sees a gone holder
  }
}

void remove_stale_project_lock(engine::Engine& engine, const std::string& project) {
  auto current = find_lock(engine, project_lock_name(project));
  if (!current || engine::label_value(current->labels, kLockLabel) != project) return;  // none, or not berth's
  if (holder_state(LockHolder::from_labels(current->labels), LockHolder::this_process(), process_start_time) !=
      HolderState::Gone)
    return;
  try {
    engine.remove_container(current->id, {.force = true});
  } catch (const Error&) {
    // removed meanwhile
  }
}

}  // namespace berth::service
