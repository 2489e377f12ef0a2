#pragma once
// One JSON object per line, for tools: events are
// {"id":"Container shop-web-1","text":"Started","status":"<detail>","state":"done"}
// ("status" only when there is a detail; state is working|done|warning|error),
// messages are {"tail":true,"text":"..."}. Keys follow docker compose's json
// progress where it has one.
#include <iosfwd>
#include <mutex>

#include "berth/ui/progress.h"

namespace berth::ui {

class JsonProgress final : public ProgressSink {
 public:
  explicit JsonProgress(std::ostream& out) : out_(out) {}
  void event(const ProgressEvent& e) override;
  void message(const std::string& text) override;

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

const char* to_string(ProgressState state);

}  // namespace berth::ui
