#pragma once
// --progress quiet: prints nothing; errors still reach the user through the
// exception the operation throws.
#include "berth/ui/progress.h"

namespace berth::ui {

class QuietProgress final : public ProgressSink {
 public:
  void event(const ProgressEvent&) override {}
  void message(const std::string&) override {}
};

}  // namespace berth::ui
