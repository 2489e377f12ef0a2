#pragma once
// What the executor reports while it works, and the interface the progress
// presenters (tty, plain, json, quiet) implement. Events name a resource the
// way docker compose's progress does ("Network shop_default",
// "Container shop-web-1") so the output reads the same.
#include <cstdint>
#include <string>

namespace berth::ui {

enum class ProgressState {
  Working,  // "Creating", "Starting", "Waiting"...
  Done,     // "Created", "Started", "Healthy"...
  Warning,  // done, with something the user should know
  Error,    // failed; `detail` says why
};

struct ProgressEvent {
  std::string resource;  // "Container shop-web-1", "Network shop_default", "Volume shop_data"
  std::string status;    // "Creating", "Created", "Recreate", "Started", "Healthy", "Error"...
  ProgressState state = ProgressState::Working;
  std::string detail;    // a reason ("config changed: environment") or an error message
  // Pull/push layers: the image the layer belongs to ("Image busybox:latest"),
  // shown nested under it, and bytes done of total (0: unknown).
  std::string parent;
  std::int64_t current = 0;
  std::int64_t total = 0;
};

// Receives events from any thread; implementations serialize output.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void event(const ProgressEvent& e) = 0;
  // A free-form line (a warning, a dry-run plan line) that is not about one resource.
  virtual void message(const std::string& text) = 0;
  // One line of a resource's own output (the builder's output for
  // "Service web"): plain prints it prefixed by the resource, tty keeps the
  // last few lines under it, json emits an object, quiet drops it.
  virtual void output(const std::string& resource, const std::string& line) {
    (void)resource;
    (void)line;
  }
  // Whether build steps (BuildKit's) are shown as nested events of the
  // service being built (tty: rows collapsed when the build is done; json:
  // an object each) rather than as output lines (plain).
  virtual bool shows_steps() const { return false; }
  // event() for the common case of a resource, a status, a state and a detail.
  void report(const std::string& resource, const std::string& status, ProgressState state,
              const std::string& detail = {}) {
    ProgressEvent e;
    e.resource = resource;
    e.status = status;
    e.state = state;
    e.detail = detail;
    event(e);
  }
  // Called once when the operation is over: a live view draws its final frame.
  virtual void finish() {}
};

}  // namespace berth::ui
