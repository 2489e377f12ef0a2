#pragma once
// One line per event, as docker compose's plain progress prints them:
// " Container shop-web-1  Started". A detail (a reason, an error) follows
// after two spaces. Free-form messages are printed as they are.
#include <iosfwd>
#include <mutex>

#include "berth/ui/progress.h"

namespace berth::ui {

class PlainProgress final : public ProgressSink {
 public:
  explicit PlainProgress(std::ostream& out) : out_(out) {}
  void event(const ProgressEvent& e) override;
  void message(const std::string& text) override;

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

// The line PlainProgress prints for `e`, without the newline.
std::string plain_line(const ProgressEvent& e);

}  // namespace berth::ui
