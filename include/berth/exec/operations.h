#pragma once
// The lifecycle operations the CLI calls: each observes the engine, plans
// (plan::reconcile or a stop/start/down plan), and runs the plan with the
// executor. They throw berth::Error summarizing every failure.
//
// Every function with ctx.dry_run prints the plan (one line per action,
// through ctx.progress.message) and calls nothing that changes state.
// Warnings (orphans, ...) go to ctx.progress.message as "WARN ..." lines.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::engine {
class Engine;
}
namespace berth::model {
struct Project;
}
namespace berth::ui {
class ProgressSink;
}

namespace berth::exec {

struct RunContext {
  engine::Engine& engine;
  ui::ProgressSink& progress;
  int parallelism = -1;   // --parallel / COMPOSE_PARALLEL_LIMIT; <= 0 unlimited
  bool dry_run = false;   // print the plan through progress.message, change nothing
  std::function<bool()> interrupted;  // Ctrl-C/SIGTERM seen: stop dispatching
};

enum class RecreatePolicy { Diverged, Force, Never };

struct UpOptions {
  std::vector<std::string> services;   // empty: every enabled service
  RecreatePolicy recreate = RecreatePolicy::Diverged;  // --force-recreate / --no-recreate
  bool always_recreate_deps = false;
  bool no_deps = false;
  bool no_start = false;               // `create`, `up --no-start`
  bool remove_orphans = false;
  bool renew_anon_volumes = false;     // -V
  std::map<std::string, int> scale;    // --scale svc=N
  bool wait = false;                   // --wait: until running/healthy
  std::optional<int> wait_timeout_seconds;
  std::optional<int> timeout_seconds;  // -t: stopping replaced containers
};
void up(const model::Project& project, const UpOptions& options, const RunContext& ctx);
// `create`: up with no_start forced on.
void create(const model::Project& project, UpOptions options, const RunContext& ctx);
// `scale svc=N ...`: up of the named services at the given replica counts;
// `no_deps` leaves their dependencies alone.
void scale(const model::Project& project, const std::map<std::string, int>& replicas, bool no_deps,
           const RunContext& ctx);

struct DownOptions {
  bool volumes = false;        // -v: the project's named and anonymous volumes, never external ones
  std::string rmi;             // "", "local", "all"
  bool remove_orphans = false;
  std::optional<int> timeout_seconds;
};
// `project` may describe a project whose files are gone: down works from the
// engine's labels alone, using the model only for what it adds.
void down(const model::Project& project, const DownOptions& options, const RunContext& ctx);

void start(const model::Project& project, const std::vector<std::string>& services, const RunContext& ctx);
void stop(const model::Project& project, const std::vector<std::string>& services,
          std::optional<int> timeout_seconds, const RunContext& ctx);
struct RestartOptions {
  std::optional<int> timeout_seconds;
  bool no_deps = false;  // --no-deps: not the dependents with depends_on.restart: true
};
void restart(const model::Project& project, const std::vector<std::string>& services, const RestartOptions& options,
             const RunContext& ctx);
struct KillOptions {
  std::string signal = "SIGKILL";
  bool remove_orphans = false;  // also kill the orphans' containers (without services named)
};
void kill(const model::Project& project, const std::vector<std::string>& services, const KillOptions& options,
          const RunContext& ctx);
void pause(const model::Project& project, const std::vector<std::string>& services, const RunContext& ctx);
void unpause(const model::Project& project, const std::vector<std::string>& services, const RunContext& ctx);

struct RemoveOptions {
  bool force = false;    // -f: no confirmation (berth never prompts without a TTY)
  bool stop = false;     // -s
  bool volumes = false;  // -v: anonymous volumes
};
void remove(const model::Project& project, const std::vector<std::string>& services,
            const RemoveOptions& options, const RunContext& ctx);

struct WaitOptions {
  std::vector<std::string> services;  // empty: every service of the project
  bool down_project = false;          // --down-project: `down` once the first container exited
};
// Blocks until the first of the services' containers stops; returns its exit
// code (what `berth wait` exits with).
int wait(const model::Project& project, const WaitOptions& options, const RunContext& ctx);

}  // namespace berth::exec
