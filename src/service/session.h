#pragma once
// What every command that talks to the engine sets up: the engine, the
// progress presenter and the Ctrl-C/SIGTERM handling, bundled into the
// RunContext the operations take. Internal to service.
#include <functional>
#include <memory>
#include <optional>

namespace berth::engine {
class Engine;
}
namespace berth::ui {
class ProgressSink;
}

namespace berth::service {

struct GlobalOptions;

// What an operation needs besides its options: where to act and report.
struct RunContext {
  engine::Engine& engine;
  ui::ProgressSink& progress;
  int parallelism = -1;   // --parallel / COMPOSE_PARALLEL_LIMIT; <= 0 unlimited
  bool dry_run = false;   // print the plan through progress.message, change nothing
  std::function<bool()> interrupted;  // Ctrl-C/SIGTERM seen: stop dispatching
};

// The first SIGINT/SIGTERM sets a flag the executor polls (stop dispatching,
// let running work finish); a second one exits at once with 130. Handlers are
// restored when the guard goes away.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  static bool interrupted();
};

// Quiet: no progress whatever --progress says (the -q of build, pull, push,
// and the steps of `run` after its container is attached).
enum class SessionOutput { Progress, Quiet };

// Signals: Guarded installs an InterruptGuard for the session's life; Left
// leaves whatever handlers are in force (a SignalWatch's) alone.
enum class SessionSignals { Guarded, Left };

class Session {
 public:
  explicit Session(const GlobalOptions& global, SessionOutput output = SessionOutput::Progress,
                   SessionSignals signals = SessionSignals::Guarded);
  ~Session();

  engine::Engine& engine();
  ui::ProgressSink& progress() { return *progress_; }
  RunContext& context() { return context_; }

  // Runs `operation`, draws the progress view's final frame, and turns an
  // interruption into ErrorKind::Interrupted (exit code 130).
  void run(const std::function<void()>& operation);

 private:
  std::optional<InterruptGuard> interrupt_guard_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<ui::ProgressSink> progress_;
  RunContext context_;
};

// The engine at DOCKER_HOST, for commands that only read (ps, logs, cp...).
std::unique_ptr<engine::Engine> connect_engine();

}  // namespace berth::service
