#pragma once
// docker's signal proxy (`run` and `attach --sig-proxy` without a TTY):
// SIGINT and SIGTERM that berth receives go on to the container's process,
// which decides how to end; berth then reports its exit code. (With a TTY,
// Ctrl-C is a key for the container's terminal instead.)
#include "berth/plan/plan.h"
#include "berth/ui/quiet_progress.h"
#include "session.h"
#include "signal_watch.h"

namespace berth::model {
struct Project;
}

namespace berth::service {

class SignalProxy {
 public:
  // Forwards until it goes away. `project` and `engine` must outlive it.
  SignalProxy(const model::Project& project, plan::ContainerRef container, engine::Engine& engine);

 private:
  void forward(int signal);

  const model::Project& project_;
  plan::ContainerRef container_;
  ui::QuietProgress quiet_;  // the terminal is the container's
  RunContext ctx_;
  SignalWatch watch_;  // last: stops forwarding before the rest goes
};

}  // namespace berth::service
