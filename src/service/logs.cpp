// `berth logs` and `berth events`.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "berth/engine/cancel_token.h"
#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/service/global_options.h"
#include "berth/service/logs.h"
#include "berth/ui/log_printer.h"
#include "berth/util/error.h"
#include "project_loading.h"
#include "project_logs.h"
#include "session.h"
#include "signal_watch.h"

namespace berth::service {
namespace {

// The event's time, in nanoseconds since the epoch.
std::int64_t nanoseconds_of(const engine::Event& e) { return e.time_nano ? e.time_nano : e.time * 1000000000; }

// `format` (strftime) of the event's whole seconds, in local time or UTC.
std::string formatted_seconds(std::int64_t nanos, const char* format, bool utc) {
  const std::time_t seconds = static_cast<std::time_t>(nanos / 1000000000);
  std::tm tm{};
  if (utc) ::gmtime_r(&seconds, &tm);
  else ::localtime_r(&seconds, &tm);
  char text[32];
  return std::string(text, std::strftime(text, sizeof text, format, &tm));
}

// "2006-01-02 15:04:05.000000" in local time, as docker compose prints it.
std::string local_timestamp(const engine::Event& e) {
  const std::int64_t nanos = nanoseconds_of(e);
  char micros[16];
  std::snprintf(micros, sizeof micros, ".%06lld", static_cast<long long>((nanos % 1000000000) / 1000));
  return formatted_seconds(nanos, "%Y-%m-%d %H:%M:%S", false) + micros;
}

// RFC 3339 with nanoseconds in UTC, like Go's time.Time in JSON.
std::string utc_timestamp(const engine::Event& e) {
  const std::int64_t nanos = nanoseconds_of(e);
  std::string fraction = std::to_string(nanos % 1000000000);
  fraction.insert(0, 9 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return formatted_seconds(nanos, "%Y-%m-%dT%H:%M:%S", true) + (fraction.empty() ? "" : "." + fraction) + "Z";
}

void print_event(const engine::Event& e, bool json) {
  auto service = e.attributes.find(model::labels::kService);
  const std::string service_name = service == e.attributes.end() ? "" : service->second;
  if (json) {
    nlohmann::ordered_json out = {{"time", utc_timestamp(e)},     {"type", "container"},
                                  {"action", e.action},           {"id", e.actor_id},
                                  {"service", service_name},      {"attributes", e.attributes}};
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    return;
  }
  std::string line = local_timestamp(e) + " container " + e.action + " " + e.actor_id;
  std::vector<std::string> attributes;
  for (const auto& [k, v] : e.attributes) attributes.push_back(k + "=" + v);
  if (!attributes.empty()) {
    line += " (";
    for (size_t i = 0; i < attributes.size(); ++i) line += (i ? ", " : "") + attributes[i];
    line += ")";
  }
  std::cout << line << std::endl;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void logs(const GlobalOptions& global, const LogsOptions& o) {
  if (o.tail != "all" && (o.tail.empty() || o.tail.find_first_not_of("0123456789") != std::string::npos)) {
    if (!(o.tail.starts_with("-") && o.tail.size() > 1 &&
          o.tail.find_first_not_of("0123456789", 1) == std::string::npos))
      throw Error(ErrorKind::Usage, "invalid --tail \"" + o.tail + "\": use a number of lines or \"all\"");
  }
  if (o.index < 0) throw Error(ErrorKind::Usage, "--index must be positive");
  auto project = load_project(global, o.services, ProjectFiles::Optional);
  const auto now = now_seconds();
  ProjectLogsRequest request;
  request.project = project.name;
  request.services = o.services;
  if (o.index > 0) request.index = o.index;
  request.logs.follow = o.follow;
  // The engine reads a negative tail as "all", as docker does.
  request.logs.tail = o.tail.starts_with("-") ? "all" : o.tail;
  request.logs.since = engine_timestamp(o.since, now);
  request.logs.until = engine_timestamp(o.until, now);
  request.logs.timestamps = o.timestamps;

  ui::FdLogOutput output;
  ui::LogPrinter printer(output, log_printer_options(global, o.no_color, o.no_log_prefix));
  auto engine = connect_engine();
  if (!o.follow) {
    stream_project_logs(*engine, request, printer);
    return;
  }
  // Ctrl-C is how one stops following: end quietly with 0, every line that
  // arrived printed, as docker compose does.
  engine::CancelToken cancel;
  SignalWatch signals([&](int, int) { cancel.cancel(); });
  // Following ends with berth: a second signal on its way out (a process
  // group's, timeout(1)'s) must not turn exit 0 into death by SIGINT.
  signals.ignore_when_done();
  try {
    stream_project_logs(*engine, request, printer, &cancel);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Interrupted) throw;
  }
}

void events(const GlobalOptions& global, const EventsOptions& o) {
  auto project = load_project(global, o.services, ProjectFiles::Optional);
  auto engine = connect_engine();
  engine::EventsOptions options;
  const auto now = now_seconds();
  options.since = engine_timestamp(o.since, now);
  options.until = engine_timestamp(o.until, now);
  options.filters["type"] = {"container"};
  options.filters["label"] = {std::string(model::labels::kProject) + "=" + project.name};
  engine->events(
      options,
      [&](const engine::Event& e) {
        auto service = e.attributes.find(model::labels::kService);
        if (!o.services.empty() &&
            (service == e.attributes.end() ||
             std::find(o.services.begin(), o.services.end(), service->second) == o.services.end()))
          return true;
        print_event(e, o.json);
        return true;
      },
      nullptr);
}

}  // namespace berth::service
