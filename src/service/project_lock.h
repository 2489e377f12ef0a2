#pragma once
// Serializes the berth runs that converge one project (`up`, `create`,
// `scale`, `run`'s dependencies): two `up -d` at once would otherwise each
// observe the other's half-done work (a container created but not yet
// connected or started, a recreate's temporary container) and act on it.
//
// The lock is a container that is never started, named
// "<project>_berth-lock": the engine's check for container names is atomic,
// so exactly one run creates it. It is made from a local image the project
// uses and labelled with its holder (host, boot, PID namespace, PID and the
// process's start time). A waiter takes it over at once when the holder is a
// process of this machine that is gone (killed with SIGKILL), and after
// `foreign_stale_after` when it cannot tell (another host or PID namespace).
#include <chrono>
#include <functional>
#include <string>

#include "berth/engine/types.h"

namespace berth::engine {
class Engine;
}

namespace berth::service {

// Who holds a lock: the labels a lock container carries.
struct LockHolder {
  std::string host;           // hostname
  std::string boot_id;        // /proc/sys/kernel/random/boot_id
  std::string pid_namespace;  // /proc/self/ns/pid link, "pid:[4026531836]"
  long pid = 0;
  std::string start_time;  // /proc/<pid>/stat field 22 (clock ticks after boot)

  engine::Labels labels() const;
  static LockHolder from_labels(const engine::Labels& labels);
  static LockHolder this_process();
};

enum class HolderState { Alive, Gone, Unknown };

// Whether the process that holds a lock still runs, judged from `self`:
// only a holder on the same host, boot and PID namespace can be checked;
// `start_time_of(pid)` returns "" when there is no such process.
HolderState holder_state(const LockHolder& holder, const LockHolder& self,
                         const std::function<std::string(long pid)>& start_time_of);

// /proc/<pid>/stat's start time, "" when the process does not exist.
std::string process_start_time(long pid);

std::string project_lock_name(const std::string& project);

struct ProjectLockOptions {
  std::function<bool()> interrupted;  // true: stop waiting (throws ErrorKind::Interrupted)
  // Called once when the lock is busy, with who holds it.
  std::function<void(const std::string& message)> waiting;
  std::chrono::milliseconds foreign_stale_after = std::chrono::minutes(2);
  // How long the lock's name may stay taken while no container by it is
  // listed before that is an error (an engine's leftover, see the .cpp).
  std::chrono::milliseconds unlisted_name_limit = std::chrono::seconds(5);
  std::chrono::milliseconds poll_initial{20};
  std::chrono::milliseconds poll_max{300};
};

class ProjectLock {
 public:
  // Blocks until this run holds the project's lock. `image` is a local image
  // to make the lock container from; empty: nothing to make it from, so the
  // run goes unserialized (held() is false). Re-entrant within one thread.
  ProjectLock(engine::Engine& engine, const std::string& project, const std::string& image,
              const ProjectLockOptions& options = {});
  ~ProjectLock();
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;

  bool held() const { return held_; }

 private:
  engine::Engine& engine_;
  std::string project_;
  std::string id_;  // the lock container this run created ("" when nested or not held)
  bool held_ = false;
};

// `down` clears a lock a killed run left (it would keep the lock's image in
// use); a live holder's lock stays.
void remove_stale_project_lock(engine::Engine& engine, const std::string& project);

}  // namespace berth::service
