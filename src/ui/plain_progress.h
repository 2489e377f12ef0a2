#pragma once
// One line per event, as docker compose's plain progress prints them:
// " Container shop-web-1  Started". A detail (a reason, an error) follows
// after two spaces. Free-form messages are printed as they are.
// Pull/push layers (events with a parent) print a line when their status
// changes ("Downloading", "Pull complete"), not for every byte count.
// A resource's own output (builder lines) prints as "Service web | <line>".
#include <iosfwd>
#include <map>
#include <mutex>
#include <string>

#include "berth/ui/progress.h"

namespace berth::ui {

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

}  // namespace berth::ui
