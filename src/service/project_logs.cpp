#include "project_logs.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <list>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "berth/engine/cancel_token.h"
#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/units.h"
#include "berth/service/global_options.h"
#include "berth/ui/log_printer.h"
#include "berth/ui/terminal.h"
#include "berth/util/error.h"
#include "berth/util/rfc3339.h"

namespace berth::service {
namespace {

std::int64_t now_nanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string seconds_with_nanos(std::int64_t nanoseconds) {
  char text[48];
  std::snprintf(text, sizeof text, "%lld.%09lld", static_cast<long long>(nanoseconds / 1000000000),
                static_cast<long long>(nanoseconds % 1000000000));
  return text;
}

ui::LogStream to_log_stream(engine::StreamKind kind) {
  return kind == engine::StreamKind::Stderr ? ui::LogStream::Err : ui::LogStream::Out;
}

// Follows the logs of a set of containers; see stream_project_logs.
class Follower {
 public:
  Follower(engine::Engine& engine, const ProjectLogsRequest& request, ui::LogPrinter& printer)
      : engine_(engine), request_(request), printer_(printer) {}

  void run(engine::CancelToken* outer) {
    engine::CancelRegistration chained(outer, [this] { cancel_all(); });
    if (request_.logs.follow) {
      watch_started_ = now_nanoseconds();
      std::lock_guard lock(mutex_);
      threads_.emplace_back([this] { watch_events(); });
    }
    std::vector<Listed> containers;
    try {
      containers = list_containers();
    } catch (...) {
      cancel_all();
      join_all();
      throw;
    }
    {
      std::lock_guard lock(mutex_);
      for (const auto& c : containers) printer_.register_name(c.name);
      if (request_.on_listed) {
        std::vector<std::string> names;
        for (const auto& c : containers)
          if (shows_output(c.service)) names.push_back(c.name);
        request_.on_listed(names);
      }
      for (const auto& c : containers)
        if (!tracked_.count(c.id)) start_locked(c.id, c.name, c.service, request_.logs);
      // Containers whose start event came before the list: those the list
      // missed (started after the engine answered) begin now, after the
      // "Attaching to" line as in docker compose.
      listed_ = true;
      for (const auto& c : started_before_listing_) {
        if (tracked_.count(c.id)) continue;
        printer_.register_name(c.name);
        start_locked(c.id, c.name, c.service, request_.logs);
      }
      started_before_listing_.clear();
    }
    {
      std::unique_lock lock(mutex_);
      done_.wait(lock, [this] {
        return (!request_.until_cancelled && active_ == 0 && reporting_ == 0) || cancelled_;
      });
    }
    cancel_all();
    join_all();
    if (error_) std::rethrow_exception(error_);
    if (outer && outer->cancelled()) throw Error(ErrorKind::Interrupted, "interrupted");
  }

 private:
  struct Tracked {
    std::string name;
    std::string service;
    bool streaming = false;
    bool awaiting_restart = false;
    std::int64_t stream_started = 0;          // our clock, ns
    std::optional<std::int64_t> restarted_at;  // a start event seen while streaming
    // When the last stream ended: a new run's output is what came after it
    // (a start event's time can be later than the new process's first lines).
    std::int64_t ended_at = 0;
  };

  static bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  }

  // Whether a service's output is read (else its containers are only waited on).
  bool shows_output(const std::string& service) const {
    if (request_.watched) return contains(request_.services, service);
    return request_.services.empty() || contains(request_.services, service);
  }

  // Whether a service's containers keep following going and get on_exit.
  bool counted(const std::string& service) const {
    return request_.watched ? contains(*request_.watched, service) : shows_output(service);
  }

  bool wanted(const engine::Labels& labels) const {
    if (engine::label_value(labels, model::labels::kOneoff) == "True") return false;
    const auto service = engine::label_value(labels, model::labels::kService);
    if (!shows_output(service) && !counted(service)) return false;
    if (request_.index && engine::label_value(labels, model::labels::kContainerNumber) != std::to_string(*request_.index))
      return false;
    return true;
  }

  struct Listed {
    std::string id;
    std::string name;  // display name
    std::string service;
  };

  // Sorted by display name, so colours follow the names' order.
  std::vector<Listed> list_containers() {
    engine::ListContainersOptions options;
    options.all = true;
    options.filters["label"] = {std::string(model::labels::kProject) + "=" + request_.project};
    std::vector<Listed> out;
    for (const auto& c : engine_.list_containers(options)) {
      if (!wanted(c.labels)) continue;
      std::string name = c.names.empty() ? c.id.substr(0, 12) : c.names.front();
      if (name.starts_with("/")) name.erase(0, 1);
      out.push_back({c.id, display_name(name, c.labels), engine::label_value(c.labels, model::labels::kService)});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    if (request_.index && out.empty() && !request_.services.empty())
      throw Error(ErrorKind::Usage, "service \"" + request_.services.front() + "\" has no container with index " +
                                        std::to_string(*request_.index));
    return out;
  }

  void start_locked(const std::string& id, const std::string& name, const std::string& service,
                    engine::LogsOptions options) {
    auto& t = tracked_[id];
    if (t.name.empty()) t.name = name;
    if (t.service.empty()) t.service = service;
    if (!t.awaiting_restart && counted(t.service)) ++active_;
    t.awaiting_restart = false;
    t.streaming = true;
    t.stream_started = now_nanoseconds();
    t.restarted_at.reset();
    threads_.emplace_back([this, id, options] { stream(id, options); });
  }

  void stream(const std::string& id, engine::LogsOptions options) {
    std::string name;
    bool quiet = false;
    bool counts = true;
    {
      std::lock_guard lock(mutex_);
      name = tracked_[id].name;
      quiet = !shows_output(tracked_[id].service);
      counts = counted(tracked_[id].service);
    }
    bool running_again = false;
    std::int64_t finished_at = 0;
    int exit_code = 0;
    try {
      // An unattached container is only waited for.
      if (quiet && options.follow) engine_.wait_container(id, "not-running", &cancel_);
      if (!quiet) read_output(id, name, options);
      if (options.follow && !cancel_.cancelled()) running_again = restarting(id, finished_at, exit_code);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::NotFound && e.kind() != ErrorKind::Interrupted) record(std::current_exception());
    } catch (...) {
      record(std::current_exception());
    }
    std::unique_lock lock(mutex_);
    auto& t = tracked_[id];
    bool exited_for_good = false;
    // The engine may close a follow stream a little after a restarted
    // container already printed again: its last exit time is the boundary.
    t.ended_at = finished_at ? finished_at : now_nanoseconds();
    if (options.follow && !running_again && !cancelled_) {
      // `restart` stops then starts: the container may look stopped for a
      // moment before its start event arrives. Stopped by a signal (a stop
      // or a restart: exit code 128+n), that moment is the engine starting
      // it again, about a second on a busy 2-core machine; a process that
      // ended by itself is restarted by nobody but its restart policy
      // (running_again), so it gets the short wait only.
      const auto grace = exit_code >= 128 ? std::chrono::seconds(3) : std::chrono::seconds(1);
      done_.wait_for(lock, grace, [&] { return t.restarted_at.has_value() || cancelled_; });
    }
    t.streaming = false;
    const int ended = counts ? 1 : 0;
    if (cancelled_) {
      active_ -= ended;
    } else if (t.restarted_at) {
      auto again = options;
      again.since = seconds_with_nanos(t.ended_at);
      again.tail = "all";
      active_ -= ended;
      start_locked(id, t.name, t.service, again);
    } else if (running_again) {
      t.awaiting_restart = true;  // still counted: its start event will resume it
    } else {
      exited_for_good = options.follow && !error_ && counts;
      active_ -= ended;
    }
    // Reported before `active_` can reach zero for the caller: the exit
    // line must come before `run` returns.
    if (exited_for_good && request_.on_exit) {
      ++reporting_;
      const auto service = t.service;
      const auto display = t.name;
      lock.unlock();
      try {
        request_.on_exit(display, service, exit_code);
      } catch (...) {
        record(std::current_exception());
      }
      lock.lock();
      --reporting_;
    }
    done_.notify_all();
  }

  // Reads one container's output into the printer until the engine ends the
  // stream; all the lines of one read are written at once (one write per
  // read, not per line).
  void read_output(const std::string& id, const std::string& name, const engine::LogsOptions& options) {
    auto log = printer_.open(name);
    auto flushed = options;
    flushed.after_read = [&] { log->flush(); };
    try {
      engine_.container_logs(
          id, flushed, [&](engine::StreamKind kind, std::string_view bytes) { log->feed(to_log_stream(kind), bytes); },
          &cancel_);
    } catch (Error& e) {
      if (e.kind() == ErrorKind::Io) e.add_context("the logs of " + name);
      throw;
    }
    log->finish();
  }

  bool restarting(const std::string& id, std::int64_t& finished_at, int& exit_code) {
    try {
      auto json = engine_.inspect_container(id);
      auto state = json.value("State", nlohmann::json::object());
      exit_code = state.value("ExitCode", 0);
      if (auto t = parse_rfc3339(state.value("FinishedAt", "")); t && *t > 0) finished_at = *t;
      return state.value("Restarting", false) || state.value("Running", false);
    } catch (const Error&) {
      return false;
    }
  }

  void watch_events() {
    engine::EventsOptions options;
    options.filters["type"] = {"container"};
    options.filters["event"] = {"start"};
    options.filters["label"] = {std::string(model::labels::kProject) + "=" + request_.project};
    options.since = seconds_with_nanos(watch_started_ - 1000000000);
    try {
      engine_.events(options, [this](const engine::Event& e) { return on_start(e); }, &cancel_);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Interrupted) record(std::current_exception());
    } catch (...) {
      record(std::current_exception());
    }
  }

  bool on_start(const engine::Event& e) {
    if (!wanted(e.attributes)) return true;
    std::lock_guard lock(mutex_);
    if (cancelled_) return false;
    const std::int64_t when = e.time_nano ? e.time_nano : e.time * 1000000000;
    auto it = tracked_.find(e.actor_id);
    if (it == tracked_.end()) {
      auto name = display_name(engine::label_value(e.attributes, "name"), e.attributes);
      auto service = engine::label_value(e.attributes, model::labels::kService);
      if (!listed_) {
        started_before_listing_.push_back({e.actor_id, std::move(name), std::move(service)});
        return true;
      }
      printer_.register_name(name);
      start_locked(e.actor_id, name, service, request_.logs);
      return true;
    }
    auto& t = it->second;
    if (t.streaming) {
      // A start older than the stream is the one that stream already shows.
      if (when > t.stream_started) {
        t.restarted_at = when;
        done_.notify_all();
      }
      return true;
    }
    auto again = request_.logs;
    again.since = seconds_with_nanos(t.ended_at);
    again.tail = "all";
    start_locked(e.actor_id, t.name, t.service, again);
    return true;
  }

  void record(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = error;
    cancelled_ = true;
    done_.notify_all();
  }

  void cancel_all() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      done_.notify_all();
    }
    cancel_.cancel();
  }

  void join_all() {
    for (;;) {
      std::list<std::thread> batch;
      {
        std::lock_guard lock(mutex_);
        if (threads_.empty()) return;
        batch.splice(batch.end(), threads_);
      }
      for (auto& t : batch) t.join();
    }
  }

  engine::Engine& engine_;
  const ProjectLogsRequest& request_;
  ui::LogPrinter& printer_;
  engine::CancelToken cancel_;
  std::mutex mutex_;
  std::condition_variable done_;
  std::map<std::string, Tracked> tracked_;
  std::list<std::thread> threads_;
  int active_ = 0;
  int reporting_ = 0;  // on_exit calls in progress
  bool cancelled_ = false;
  std::exception_ptr error_;
  std::int64_t watch_started_ = 0;
  bool listed_ = false;                    // the first list of containers is done
  std::vector<Listed> started_before_listing_;  // start events that came first
};

}  // namespace

ui::LogPrinterOptions log_printer_options(const GlobalOptions& global, bool no_color, bool no_log_prefix) {
  ui::LogPrinterOptions options;
  options.prefix = !no_log_prefix;
  options.color = !no_color && global.ansi != "never" && (global.ansi == "always" || ui::is_terminal(STDOUT_FILENO));
  return options;
}

std::string display_name(const std::string& container_name, const engine::Labels& labels) {
  const auto project = engine::label_value(labels, model::labels::kProject);
  const auto expected = project + "-" + engine::label_value(labels, model::labels::kService) + "-" +
                        engine::label_value(labels, model::labels::kContainerNumber);
  if (!project.empty() && container_name == expected) return container_name.substr(project.size() + 1);
  return container_name;
}

std::string engine_timestamp(const std::string& value, std::int64_t now_seconds) {
  static const std::regex unix_time(R"(^\d+(\.\d{1,9})?$)");
  if (value.empty() || std::regex_match(value, unix_time)) return value;
  if (auto d = model::parse_duration(value)) return seconds_with_nanos(now_seconds * 1000000000 - *d);
  if (auto t = parse_rfc3339(value)) return seconds_with_nanos(*t);
  throw Error(ErrorKind::Usage, "invalid time \"" + value +
                                    "\": use a Unix timestamp, a duration like 10m or 1h30m, or an RFC 3339 date");
}

void stream_project_logs(engine::Engine& engine, const ProjectLogsRequest& request, ui::LogPrinter& printer,
                         engine::CancelToken* cancel) {
  Follower follower(engine, request, printer);
  follower.run(cancel);
}

}  // namespace berth::service
