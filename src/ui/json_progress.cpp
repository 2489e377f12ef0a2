#include "line_progress.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace berth::ui {

const char* to_string(ProgressState state) {
  switch (state) {
    case ProgressState::Working: return "working";
    case ProgressState::Done: return "done";
    case ProgressState::Warning: return "warning";
    case ProgressState::Error: return "error";
  }
  return "working";
}

void JsonProgress::event(const ProgressEvent& e) {
  nlohmann::ordered_json line = {{"id", e.resource}, {"text", e.status}};
  if (!e.detail.empty()) line["status"] = e.detail;
  line["state"] = to_string(e.state);
  if (!e.parent.empty()) line["parent_id"] = e.parent;
  if (e.total > 0) {
    line["current"] = e.current;
    line["total"] = e.total;
    line["percent"] = e.current * 100 / e.total;
  }
  // Invalid UTF-8 in an engine message must not abort the whole operation.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  out_ << text << std::flush;
}

void JsonProgress::message(const std::string& text) {
  nlohmann::ordered_json line = {{"tail", true}, {"text", text}};
  std::string dumped = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  out_ << dumped << std::flush;
}

void JsonProgress::output(const std::string& resource, const std::string& text) {
  nlohmann::ordered_json line = {{"id", resource}, {"output", text}};
  std::string dumped = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  out_ << dumped << std::flush;
}

}  // namespace berth::ui
