#pragma once
// Streams the logs of a project's containers into a LogPrinter, one
// connection (and thread) per container, the way `docker compose logs` does.
// With `follow`, containers that start (or restart) while following are
// picked up from the engine's event stream; following ends when every
// followed container has stopped for good, or when cancelled.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "berth/engine/types.h"

namespace berth::engine {
class Engine;
class CancelToken;
}  // namespace berth::engine
namespace berth::ui {
class LogPrinter;
struct LogPrinterOptions;
}

namespace berth::service {

struct GlobalOptions;

// How logs and attached `up` print: a "web-1  | " prefix unless
// --no-log-prefix, colours unless --no-color or --ansi never, and with
// --ansi auto only on a terminal.
ui::LogPrinterOptions log_printer_options(const GlobalOptions& global, bool no_color, bool no_log_prefix);

struct ProjectLogsRequest {
  std::string project;
  std::vector<std::string> services;  // empty: all
  std::optional<int> index;           // --index: only this replica number
  engine::LogsOptions logs;           // follow, tail, since, until, timestamps
  // With `follow`: called (from a streaming thread, after the container's
  // last line) once a followed container stopped for good, i.e. it is not
  // restarting, with its display name and exit code. Attached `up` prints
  // "web-1 exited with code 0" and decides whether to abort from here.
  std::function<void(const std::string& name, const std::string& service, int exit_code)> on_exit;
  // Called once with the display names of the containers found at the start
  // (sorted), before any of their output ("Attaching to web-1, db-1").
  std::function<void(const std::vector<std::string>& names)> on_listed;
  // Attached `up` separates whose output is shown from whose life counts
  // (docker compose's monitor). When set, `services` is taken literally
  // (empty: no output at all) and, with `follow`: following ends once every
  // container of these services has stopped for good (the other streams are
  // then cut), on_exit is called for these only, and those of them not in
  // `services` are waited on without reading their output. Unset: every
  // followed container counts.
  std::optional<std::vector<std::string>> watched;
  // With `follow`: keep following (containers that come and go, as a
  // rebuild's recreation makes them) until cancelled. `up --watch`.
  bool until_cancelled = false;
};

// The name docker compose shows for a container: "web-1" for
// "{project}-web-1", the full name when the service sets container_name.
std::string display_name(const std::string& container_name, const engine::Labels& labels);

// Converts --since/--until values the way the docker CLI does: a Unix
// timestamp passes through; a Go duration ("10m", "1h30m") is relative to
// `now_seconds`; RFC 3339 dates ("2024-01-02T03:04:05Z", "2024-01-02",
// with or without fraction and zone) become Unix seconds. Throws a Usage
// error for anything else.
std::string engine_timestamp(const std::string& value, std::int64_t now_seconds);

// Blocks until done (see the file comment). Throws the first engine error of
// any container other than "container gone".
void stream_project_logs(engine::Engine& engine, const ProjectLogsRequest& request, ui::LogPrinter& printer,
                         engine::CancelToken* cancel = nullptr);

}  // namespace berth::service
