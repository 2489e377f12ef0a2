#include "line_progress.h"

#include <ostream>

namespace berth::ui {

std::string plain_line(const ProgressEvent& e) {
  std::string line = " " + e.resource + "  " + e.status;
  if (!e.detail.empty()) line += "  " + e.detail;
  return line;
}

void PlainProgress::event(const ProgressEvent& e) {
  std::string line = plain_line(e) + "\n";
  std::lock_guard lock(mutex_);
  if (!e.parent.empty()) {
    auto& last = layer_status_[e.parent + '\n' + e.resource];
    if (last == e.status && e.state != ProgressState::Error) return;
    last = e.status;
  }
  out_ << line << std::flush;
}

void PlainProgress::output(const std::string& resource, const std::string& line) {
  std::string text = resource + " | " + line + "\n";
  std::lock_guard lock(mutex_);
  out_ << text << std::flush;
}

void PlainProgress::message(const std::string& text) {
  std::lock_guard lock(mutex_);
  out_ << text << "\n" << std::flush;
}

}  // namespace berth::ui
