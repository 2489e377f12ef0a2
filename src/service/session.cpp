#include "session.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "berth/engine/docker_engine.h"
#include "berth/service/global_options.h"
#include "berth/ui/progress_mode.h"
#include "berth/ui/terminal.h"
#include "berth/util/error.h"

namespace berth::service {
namespace {

std::atomic<int> signals_seen{0};

extern "C" void on_interrupt_signal(int) {
  if (signals_seen.fetch_add(1) >= 1) {
    // A second Ctrl-C: the user does not want to wait for in-flight work.
    static const char text[] = "\nberth: interrupted twice, exiting now\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, text, sizeof text - 1);
    ::_exit(130);
  }
}

std::unique_ptr<ui::ProgressSink> make_progress(const GlobalOptions& global, SessionOutput output) {
  auto mode = output == SessionOutput::Quiet ? ui::ProgressMode::Quiet : ui::parse_progress_mode(global.progress);
  const bool terminal = ui::is_terminal(STDERR_FILENO);
  if (mode == ui::ProgressMode::Auto && global.ansi == "never") mode = ui::ProgressMode::Plain;
  ui::ProgressTarget target{std::cerr, terminal, ui::terminal_width(STDERR_FILENO), global.ansi != "never"};
  return ui::make_progress_sink(mode, target);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  signals_seen = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

bool InterruptGuard::interrupted() { return signals_seen.load() > 0; }

std::unique_ptr<engine::Engine> connect_engine() { return engine::DockerEngine::from_environment(); }

Session::Session(const GlobalOptions& global, SessionOutput output, SessionSignals signals)
    : engine_(connect_engine()),
      progress_(make_progress(global, output)),
      context_{*engine_, *progress_, global.parallel, global.dry_run, {}} {
  if (signals == SessionSignals::Guarded) {
    interrupt_guard_.emplace();
    context_.interrupted = &InterruptGuard::interrupted;
  }
}

Session::~Session() = default;

engine::Engine& Session::engine() { return *engine_; }

void Session::run(const std::function<void()>& operation) {
  try {
    operation();
  } catch (...) {
    progress_->finish();
    throw;
  }
  progress_->finish();
  if (interrupt_guard_ && InterruptGuard::interrupted())
    throw Error(ErrorKind::Interrupted, "interrupted before all work was done; run the command again to converge");
}

}  // namespace berth::service
