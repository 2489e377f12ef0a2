#pragma once
// The live view: a header and one line per resource with an icon (spinner
// while working, ✔ done, ! warning, ✘ error), its status and the time since
// its first event, redrawn in place with ANSI cursor movement:
//
//   [+] Running 1/2
//    ✔ Network shop_default    Created                      0.1s
//    ⠙ Container shop-web-1    Starting                     0.3s
//
// Pull/push layers (events with a parent) are drawn under their image,
// indented, with a byte bar while they download; the image's row adds up
// its layers' bytes. A resource's own output (builder lines) shows as its
// last few lines, dimmed, under its row while it works or after it failed.
//
// A background thread redraws every `interval` so spinners and timers move;
// tests turn it off and call redraw() with a fake clock. Messages are
// printed above the live area. finish() draws the final frame and shows the
// cursor again.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "berth/ui/progress.h"

namespace berth::ui {

struct TtyOptions {
  int width = 80;     // terminal columns; lines are cut to fit
  bool color = true;  // green ✔, red ✘, yellow !, dim timers
  bool animate = true;
  std::chrono::milliseconds interval{100};
  std::function<std::chrono::steady_clock::time_point()> now = [] {
    return std::chrono::steady_clock::now();
  };
};

class TtyProgress final : public ProgressSink {
 public:
  TtyProgress(std::ostream& out, TtyOptions options);
  ~TtyProgress() override;

  void event(const ProgressEvent& e) override;
  void message(const std::string& text) override;
  void output(const std::string& resource, const std::string& line) override;
  bool shows_steps() const override { return true; }
  void finish() override;
  // Draws the current frame now, replacing the previous one.
  void redraw();

 private:
  struct Row {
    ProgressEvent last;
    std::chrono::steady_clock::time_point started;
    std::chrono::steady_clock::time_point ended;  // set when not Working
    std::deque<std::string> output;               // the last output lines, oldest first
    std::int64_t child_current = 0;               // bytes of the layers under it
    std::int64_t child_total = 0;
  };
  Row& row_locked(const std::string& parent, const std::string& resource);
  void draw_locked(bool final_frame);
  void erase_locked();
  std::string render_row(const Row& row, size_t indent, size_t name_width, std::chrono::steady_clock::time_point now,
                         size_t spinner_frame) const;
  std::string render_output_line(const std::string& line) const;
  void start_ticker_locked();

  std::ostream& out_;
  TtyOptions options_;
  std::mutex mutex_;
  std::vector<Row> rows_;
  int lines_drawn_ = 0;
  bool cursor_hidden_ = false;
  bool finished_ = false;
  std::chrono::steady_clock::time_point created_;
  std::thread ticker_;
  std::condition_variable wake_;
  bool stop_ticker_ = false;
};

// Display width of UTF-8 text (code points; berth prints no wide characters).
size_t display_width(const std::string& text);

}  // namespace berth::ui
