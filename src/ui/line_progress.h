#pragma once
// The presenters that print one line at a time (--progress plain and json):
// each event, message and output line as it comes, nothing redrawn.
#include <iosfwd>
#include <map>
#include <mutex>
#include <string>

#include "berth/ui/progress.h"

namespace berth::ui {

// One line per event, as docker compose's plain progress prints them:
// " Container shop-web-1  Started". A detail (a reason, an error) follows
// after two spaces. Free-form messages are printed as they are.
// Pull/push layers (events with a parent) print a line when their status
// changes ("Downloading", "Pull complete"), not for every byte count.
// A resource's own output (builder lines) prints as "Service web | <line>".
class PlainProgress final : public ProgressSink {
 public:
  explicit PlainProgress(std::ostream& out) : out_(out) {}
  void event(const ProgressEvent& e) override;
  void message(const std::string& text) override;
  void output(const std::string& resource, const std::string& line) override;

 private:
  std::ostream& out_;
  std::mutex mutex_;
  std::map<std::string, std::string> layer_status_;  // parent + '\n' + layer -> last status printed
};

// The line PlainProgress prints for `e`, without the newline.
std::string plain_line(const ProgressEvent& e);

// One JSON object per line, for tools: events are
// {"id":"Container shop-web-1","text":"Started","status":"<detail>","state":"done"}
// ("status" only when there is a detail; state is working|done|warning|error),
// messages are {"tail":true,"text":"..."}. Pull/push layers add
// "parent_id" (the image's resource) and, when the engine reports bytes,
// "current", "total" and "percent". A resource's own output line (builder
// output) is {"id":"Service web","output":"<line>"}. Keys follow docker
// compose's json progress where it has one.
class JsonProgress final : public ProgressSink {
 public:
  explicit JsonProgress(std::ostream& out) : out_(out) {}
  void event(const ProgressEvent& e) override;
  void message(const std::string& text) override;
  void output(const std::string& resource, const std::string& line) override;
  bool shows_steps() const override { return true; }

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

const char* to_string(ProgressState state);

}  // namespace berth::ui
