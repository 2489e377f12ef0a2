#pragma once
// What the executor reports while it works, and the interface the progress
// presenters (tty, plain, json, quiet) implement. Events name a resource the
// way docker compose's progress does ("Network shop_default",
// "Container shop-web-1") so the output reads the same.
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
};

// Receives events from any thread; implementations serialize output.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void event(const ProgressEvent& e) = 0;
  // A free-form line (a warning, a dry-run plan line) that is not about one resource.
  virtual void message(const std::string& text) = 0;
  // Called once when the operation is over: a live view draws its final frame.
  virtual void finish() {}
};

}  // namespace berth::ui
