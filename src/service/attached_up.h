#pragma once
// `up` without -d, after the project has converged: follows the output of
// the attached services' containers (like `logs -f`, from the moment `up`
// began), prints "web-1 exited with code 0" as each one stops, and returns
// docker compose's exit code:
// - every watched container exited: 0. Watched, as docker compose's monitor:
//   the services named on the command line, else the attached ones, else
//   (nothing attached) all of the project's; "web-1 exited with code 0" is
//   printed for these, and only their exits abort;
// - --abort-on-container-exit (or --abort-on-container-failure and a
//   non-zero exit): "Aborting on container exit...", the project's
//   containers are stopped, and the code is the first exited container's,
//   or --exit-code-from's container's once it exited (when that service is
//   not watched, its exit is never seen: the first exited container's);
// - Ctrl-C/SIGTERM: "Gracefully stopping... (press Ctrl+C again to force)",
//   the project's containers are stopped (stop_signal, stop_grace_period),
//   130; a second one kills them.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "berth/ui/log_printer.h"

namespace berth::model {
struct Project;
}

namespace berth::service {

struct GlobalOptions;

struct AttachedUpOptions {
  std::vector<std::string> attach;  // services whose output is followed
  std::vector<std::string> watched;  // services whose exits count (see the top)
  bool abort_on_exit = false;       // --abort-on-container-exit (also implied by --exit-code-from)
  bool abort_on_failure = false;    // --abort-on-container-failure
  std::string exit_code_from;       // --exit-code-from; "" = the first container that exited
  bool timestamps = false;
  ui::LogPrinterOptions printer;
  std::optional<int> timeout_seconds;  // -t: for stopping the containers
  std::string since;                   // engine timestamp taken before `up` started anything
  // up --watch: following goes on while containers come and go (a rebuild
  // recreates them) until Ctrl-C, which calls `on_stopping` first.
  bool until_interrupted = false;
  std::function<void()> on_stopping;
};

// The services attached by default, as docker compose chooses them:
// --attach when given, else the services named (all when none) plus, with
// --attach-dependencies, their dependencies; minus --no-attach.
std::vector<std::string> attached_services(const model::Project& project, const std::vector<std::string>& named,
                                           const std::vector<std::string>& attach,
                                           const std::vector<std::string>& no_attach, bool attach_dependencies);

// The services attached `up` watches (see the top).
std::vector<std::string> watched_services(const model::Project& project, const std::vector<std::string>& named,
                                          const std::vector<std::string>& attached);

int follow_attached(const model::Project& project, const AttachedUpOptions& options, const GlobalOptions& global);

}  // namespace berth::service
