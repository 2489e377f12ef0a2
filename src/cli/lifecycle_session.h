#pragma once
// What every lifecycle command (up, down, ps, stop, ...) sets up before it
// calls an exec:: operation: the project, the engine, the progress presenter
// and the Ctrl-C/SIGTERM handling, bundled into an exec::RunContext.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "berth/exec/images.h"
#include "berth/exec/operations.h"
#include "berth/model/project.h"

namespace berth::engine {
class DockerEngine;
}
namespace berth::ui {
class ProgressSink;
}

namespace berth::cli {

struct GlobalOptions;

enum class ProjectFiles {
  Required,  // up, create, run, scale: the compose files are the desired state
  Optional,  // down, ps, stop...: with -p (or COMPOSE_PROJECT_NAME) and no file, the engine's labels suffice
};

// Loads the project (printing loader warnings on stderr). With
// ProjectFiles::Optional and no compose file found but a project name given,
// returns a project with only its name. Services named on the command line
// must exist in a project loaded from files. The security policy is not
// applied here: commands that create containers call prepare_for_containers.
model::Project load_project(const GlobalOptions& global, const std::vector<std::string>& services,
                            ProjectFiles files);

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

// Quiet: no progress whatever --progress says (the -q of build, pull, push).
enum class SessionOutput { Progress, Quiet };

class LifecycleSession {
 public:
  explicit LifecycleSession(const GlobalOptions& global, SessionOutput output = SessionOutput::Progress);
  ~LifecycleSession();

  engine::DockerEngine& engine() { return *engine_; }
  ui::ProgressSink& progress() { return *progress_; }
  exec::RunContext& context() { return context_; }

  // Runs `operation`, draws the progress view's final frame, and turns an
  // interruption into ErrorKind::Interrupted (exit code 130).
  void run(const std::function<void()>& operation);

 private:
  InterruptGuard interrupt_guard_;
  std::unique_ptr<engine::DockerEngine> engine_;
  std::unique_ptr<ui::ProgressSink> progress_;
  exec::RunContext context_;
};

// up, create, run, scale: builds or pulls the images of `services` (every
// enabled service when empty) and, unless `no_deps`, of their dependencies, as
// `images` and each pull_policy say; then applies the security policy with
// what the engine knows of those images (user, entrypoint), so a freshly built
// non-root image is treated as non-root on its first run. Call it inside
// LifecycleSession::run, before the operation, so both share one progress view.
void prepare_for_containers(model::Project& project, const std::vector<std::string>& services, bool no_deps,
                            const exec::ImageOptions& images, const exec::RunContext& ctx,
                            const GlobalOptions& global);

// The engine alone, for read-only commands (ps, ls) that print tables.
std::unique_ptr<engine::DockerEngine> connect_engine();

}  // namespace berth::cli
