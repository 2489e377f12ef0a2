#pragma once
// The compose commands that change the project's containers: up, create,
// scale, down, start, stop, restart, kill, pause, unpause, rm and wait. Each
// loads the project (with -p and no file, down/stop/... work from the
// engine's labels), observes the engine, plans and runs the plan; with
// --dry-run it prints the plan and changes nothing. Errors are berth::Error.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/plan/lifecycle.h"
#include "berth/plan/reconcile.h"
#include "berth/service/images.h"

namespace berth::service {

struct GlobalOptions;

// `up` without -d: whose output is followed and when following ends.
struct AttachedMode {
  std::vector<std::string> attach;     // --attach: only these services' output
  std::vector<std::string> no_attach;  // --no-attach
  bool attach_dependencies = false;    // --attach-dependencies
  bool abort_on_exit = false;          // --abort-on-container-exit
  bool abort_on_failure = false;       // --abort-on-container-failure
  std::string exit_code_from;          // --exit-code-from (implies --abort-on-container-exit)
  bool no_log_prefix = false;
  bool no_color = false;
  bool timestamps = false;
};

struct UpOptions {
  plan::ConvergeOptions converge;  // services, recreate, scale, --wait, -t...
  ImageOptions images;             // --build, --no-build, --pull, --quiet-pull
  bool detach = false;             // -d (implied by --wait and --no-start)
  AttachedMode attached;           // without -d
  // --watch: develop.watch rules applied while attached (not with -d).
  bool watch = false;
  bool watch_quiet = false;  // --quiet-build also hides a rebuild's output
};
// Returns the exit code: 0 detached; attached, docker compose's (see
// attached_up.h in the sources): the watched containers' exits, 130 on Ctrl-C.
int up(const GlobalOptions& global, const UpOptions& options);

// `create`: up without starting anything.
void create(const GlobalOptions& global, plan::ConvergeOptions options, const ImageOptions& images);

// `scale svc=N ...`: up of the named services at those replica counts;
// `no_deps` leaves their dependencies alone.
void scale(const GlobalOptions& global, const std::map<std::string, int>& replicas, bool no_deps);

// `down`: -v removes the project's named and anonymous volumes, never
// external ones; --rmi local|all.
void down(const GlobalOptions& global, const plan::DownPlanOptions& options);

struct StartOptions {
  std::vector<std::string> services;  // empty: all
  bool wait = false;                  // --wait: until running|healthy
  std::optional<int> wait_timeout_seconds;  // --wait-timeout
};
void start(const GlobalOptions& global, const StartOptions& options);
void stop(const GlobalOptions& global, const std::vector<std::string>& services, std::optional<int> timeout_seconds);
// Named services also restart their dependents with depends_on.restart:
// true, unless `no_deps`.
void restart(const GlobalOptions& global, const std::vector<std::string>& services,
             std::optional<int> timeout_seconds, bool no_deps);
// `remove_orphans` (no services named): also the orphans' containers.
void kill(const GlobalOptions& global, const std::vector<std::string>& services, const std::string& signal,
          bool remove_orphans);
void pause(const GlobalOptions& global, const std::vector<std::string>& services);
void unpause(const GlobalOptions& global, const std::vector<std::string>& services);
// `rm`: stopped containers (running ones too with options.stop).
void remove(const GlobalOptions& global, const std::vector<std::string>& services,
            const plan::RemovePlanOptions& options);
// `wait`: blocks until the first of the services' containers stops and
// returns its exit code; `down_project` then takes the project down.
int wait(const GlobalOptions& global, const std::vector<std::string>& services, bool down_project);

}  // namespace berth::service
