#pragma once
// The project's output and events: `berth logs` and `berth events`.
#include <string>
#include <vector>

namespace berth::service {

struct GlobalOptions;

struct LogsOptions {
  std::vector<std::string> services;  // empty: all
  bool follow = false;                // -f: until Ctrl-C, or every followed container stopped for good
  bool no_color = false;
  bool no_log_prefix = false;
  bool timestamps = false;
  std::string tail = "all";           // a number of lines, or all (a negative number means all)
  std::string since;                  // a Unix time, a duration (10m) or an RFC 3339 date
  std::string until;
  int index = 0;                      // --index: only this replica (0: every one)
};
void logs(const GlobalOptions& global, const LogsOptions& options);

struct EventsOptions {
  std::vector<std::string> services;  // empty: all
  bool json = false;                  // one JSON object per event
  std::string since;                  // --since: also past events (a Unix time, a duration or an RFC 3339 date)
  std::string until;                  // --until: stop at this time
};
// Follows the engine's container events for the project until interrupted
// (or, with `until`, until that time).
void events(const GlobalOptions& global, const EventsOptions& options);

}  // namespace berth::service
