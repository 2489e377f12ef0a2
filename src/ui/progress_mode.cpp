#include "berth/ui/progress_mode.h"

#include "line_progress.h"
#include "berth/ui/quiet_progress.h"
#include "tty_progress.h"
#include "berth/util/error.h"

namespace berth::ui {

ProgressMode parse_progress_mode(std::string_view text) {
  if (text == "auto" || text.empty()) return ProgressMode::Auto;
  if (text == "tty") return ProgressMode::Tty;
  if (text == "plain") return ProgressMode::Plain;
  if (text == "json") return ProgressMode::Json;
  if (text == "quiet") return ProgressMode::Quiet;
  throw Error(ErrorKind::Usage, "unsupported --progress value \"" + std::string(text) +
                                    "\": use auto, tty, plain, json or quiet");
}

std::unique_ptr<ProgressSink> make_progress_sink(ProgressMode mode, const ProgressTarget& target) {
  if (mode == ProgressMode::Auto) mode = target.is_terminal ? ProgressMode::Tty : ProgressMode::Plain;
  switch (mode) {
    case ProgressMode::Tty: {
      TtyOptions options;
      options.width = target.width;
      options.color = target.color;
      return std::make_unique<TtyProgress>(target.out, std::move(options));
    }
    case ProgressMode::Json: return std::make_unique<JsonProgress>(target.out);
    case ProgressMode::Quiet: return std::make_unique<QuietProgress>();
    case ProgressMode::Plain:
    case ProgressMode::Auto: break;
  }
  return std::make_unique<PlainProgress>(target.out);
}

}  // namespace berth::ui
