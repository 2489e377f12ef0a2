#pragma once
// One JSON object per line, for tools: events are
// {"id":"Container shop-web-1","text":"Started","status":"<detail>","state":"done"}
// ("status" only when there is a detail; state is working|done|warning|error),
// messages are {"tail":true,"text":"..."}. Pull/push layers add
// "parent_id" (the image's resource) and, when the engine reports bytes,
// "current", "total" and "percent". A resource's own output line (builder
// output) is {"id":"Service web","output":"<line>"}. Keys follow docker
// compose's json progress where it has one.
#include <iosfwd>
#include <mutex>

#include "berth/ui/progress.h"

namespace berth::ui {

class JsonProgress final : public ProgressSink {
 public:
  explicit JsonProgress(std::ostream& out) : out_(out) {}
  void event(const ProgressEvent& e) override;
  void message(const std::string& text) override;
  void output(const std::string& resource, const std::string& line) override;

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

const char* to_string(ProgressState state);

}  // namespace berth::ui
