#include "attached_up.h"

#include <algorithm>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "berth/engine/cancel_token.h"
#include "berth/engine/engine.h"
#include "berth/model/project.h"
#include "berth/service/global_options.h"
#include "berth/util/error.h"
#include "operations.h"
#include "project_logs.h"
#include "session.h"
#include "signal_watch.h"

namespace berth::service {
namespace {

// What the streaming threads, the signal thread and the stopping thread
// share.
class AttachedRun {
 public:
  AttachedRun(const model::Project& project, const AttachedUpOptions& options, const GlobalOptions& global,
              ui::LogPrinter& printer)
      : project_(project), options_(options), global_(global), printer_(printer) {}

  // From a streaming thread: a followed container stopped for good.
  void on_exit(const std::string& name, const std::string& service, int exit_code) {
    std::lock_guard lock(mutex_);
    if (!aborting_) printer_.status(name, name + " exited with code " + std::to_string(exit_code));
    const bool cascade = options_.abort_on_exit || (options_.abort_on_failure && exit_code != 0);
    // In the order the exits happen, as docker compose: the exit that starts
    // the abort sets the code, then --exit-code-from's first exit does.
    if (cascade && !aborting_) {
      aborting_ = true;
      reason_ = Reason::Abort;
      exit_code_ = exit_code;
      changed_.notify_all();
    }
    if (!exit_code_from_seen_ && service == options_.exit_code_from) {
      exit_code_from_seen_ = true;
      exit_code_ = exit_code;
    }
  }

  // From the signal thread.
  void on_signal(int count) {
    if (count == 1) {
      std::lock_guard lock(mutex_);
      if (aborting_) return;  // already stopping everything: the second signal forces
      aborting_ = true;
      reason_ = Reason::Interrupted;
      changed_.notify_all();
      return;
    }
    {
      std::lock_guard lock(mutex_);
      forced_ = true;
    }
    kill_everything();
  }

  // The stopping thread: waits until something asks for a stop (or the
  // following ended by itself), then stops the project's containers.
  void stop_when_asked(Session& stop_session) {
    Reason reason;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return aborting_ || finished_; });
      if (!aborting_) return;
      reason = reason_;
    }
    if (options_.on_stopping) options_.on_stopping();
    if (reason == Reason::Abort) std::cout << "Aborting on container exit..." << std::endl;
    else std::cerr << "Gracefully stopping... (press Ctrl+C again to force)" << std::endl;
    try {
      stop_session.run([&] { service::stop(project_, {}, options_.timeout_seconds, stop_session.context()); });
    } catch (const Error&) {
      std::lock_guard lock(mutex_);
      if (!forced_) stop_error_ = std::current_exception();
    }
  }

  void finished() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }

  int exit_code() {
    std::lock_guard lock(mutex_);
    if (stop_error_) std::rethrow_exception(stop_error_);
    if (reason_ == Reason::Interrupted) return 130;
    return exit_code_;
  }

 private:
  enum class Reason { None, Abort, Interrupted };

  // The second Ctrl-C: no more grace for anyone (one-offs and orphans too).
  void kill_everything() {
    std::cerr << "Killing the project's containers..." << std::endl;
    try {
      Session session(global_, SessionOutput::Quiet, SessionSignals::Left);
      service::kill(project_, {}, "SIGKILL", /*remove_orphans=*/true, session.context());
    } catch (const Error& e) {
      std::cerr << "berth: " << e.what() << std::endl;
    }
  }

  const model::Project& project_;
  const AttachedUpOptions& options_;
  const GlobalOptions& global_;
  ui::LogPrinter& printer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool aborting_ = false;
  bool finished_ = false;
  bool forced_ = false;
  Reason reason_ = Reason::None;
  bool exit_code_from_seen_ = false;
  int exit_code_ = 0;
  std::exception_ptr stop_error_;
};

}  // namespace

std::vector<std::string> attached_services(const model::Project& project, const std::vector<std::string>& named,
                                           const std::vector<std::string>& attach,
                                           const std::vector<std::string>& no_attach, bool attach_dependencies) {
  std::set<std::string> chosen;
  if (!attach.empty()) {
    chosen.insert(attach.begin(), attach.end());
  } else if (named.empty()) {
    for (const auto& s : project.services) chosen.insert(s.name);
  } else if (attach_dependencies) {
    chosen = project.with_dependencies(named);
  } else {
    chosen.insert(named.begin(), named.end());
  }
  for (const auto& name : no_attach) chosen.erase(name);
  return {chosen.begin(), chosen.end()};
}

std::vector<std::string> watched_services(const model::Project& project, const std::vector<std::string>& named,
                                          const std::vector<std::string>& attached) {
  if (!named.empty()) return named;
  if (!attached.empty()) return attached;
  std::vector<std::string> all;
  for (const auto& s : project.services) all.push_back(s.name);
  return all;
}

int follow_attached(const model::Project& project, const AttachedUpOptions& options, const GlobalOptions& global) {
  ui::FdLogOutput output;
  ui::LogPrinter printer(output, options.printer);
  AttachedRun run(project, options, global, printer);

  // Its own session (engine connection, progress view) for stopping, made
  // before the SignalWatch so the watch's handlers are the ones in force.
  Session stop_session(global);
  SignalWatch signals([&](int, int count) { run.on_signal(count); });
  engine::CancelToken cancel_following;
  std::thread stopper([&] {
    run.stop_when_asked(stop_session);
    // Following that waits for a Ctrl-C ends once the containers are stopped.
    if (options.until_interrupted) cancel_following.cancel();
  });

  ProjectLogsRequest request;
  request.project = project.name;
  request.services = options.attach;
  request.watched = options.watched;
  request.logs.follow = true;
  request.logs.since = options.since;
  request.logs.timestamps = options.timestamps;
  request.until_cancelled = options.until_interrupted;
  request.on_exit = [&](const std::string& name, const std::string& service, int code) {
    run.on_exit(name, service, code);
  };
  request.on_listed = [](const std::vector<std::string>& names) {
    if (names.empty()) return;  // nothing attached: docker compose says nothing either
    std::string line = "Attaching to ";
    for (size_t i = 0; i < names.size(); ++i) line += (i ? ", " : "") + names[i];
    std::cout << line << std::endl;
  };

  std::exception_ptr follow_error;
  try {
    auto engine = connect_engine();
    stream_project_logs(*engine, request, printer, &cancel_following);
  } catch (const Error& e) {
    // Cancelled once the containers were stopped: following is over.
    if (e.kind() != ErrorKind::Interrupted || !cancel_following.cancelled()) follow_error = std::current_exception();
  } catch (...) {
    follow_error = std::current_exception();
  }
  run.finished();
  stopper.join();
  if (follow_error) std::rethrow_exception(follow_error);
  return run.exit_code();
}

}  // namespace berth::service
