#pragma once
// Choosing a progress presenter: --progress / COMPOSE_PROGRESS name one of
// auto, tty, plain, json, quiet; auto means tty when the output is a
// terminal, plain otherwise.
#include <iosfwd>
#include <memory>
#include <string_view>

#include "berth/ui/progress.h"

namespace berth::ui {

enum class ProgressMode { Auto, Tty, Plain, Json, Quiet };

// Throws berth::Error(Usage) naming the accepted values.
ProgressMode parse_progress_mode(std::string_view text);

struct ProgressTarget {
  std::ostream& out;        // normally std::cerr
  bool is_terminal = false; // whether `out` is a terminal
  int width = 80;           // terminal columns, for the tty view
  bool color = true;        // ANSI colours in the tty view (--ansi)
};

// The presenter for `mode`; Auto resolves through target.is_terminal.
std::unique_ptr<ProgressSink> make_progress_sink(ProgressMode mode, const ProgressTarget& target);

}  // namespace berth::ui
