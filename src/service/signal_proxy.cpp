#include "signal_proxy.h"

#include <csignal>

#include "berth/plan/lifecycle.h"
#include "berth/util/error.h"
#include "operations.h"

namespace berth::service {

SignalProxy::SignalProxy(const model::Project& project, plan::ContainerRef container, engine::Engine& engine)
    : project_(project),
      container_(std::move(container)),
      ctx_{engine, quiet_, -1, false, {}},
      watch_([this](int signal, int) { forward(signal); }) {}

void SignalProxy::forward(int signal) {
  try {
    run_plan(plan::plan_container(plan::ActionKind::KillContainer, container_, signal == SIGINT ? "SIGINT" : "SIGTERM"),
             project_, ctx_);
  } catch (const Error&) {
    // Already stopped: nothing to forward to.
  }
}

}  // namespace berth::service
