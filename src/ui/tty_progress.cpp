#include "tty_progress.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "ansi.h"
#include "berth/ui/container_format.h"

namespace berth::ui {
namespace {

constexpr const char* kSpinner[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
constexpr size_t kSpinnerFrames = sizeof kSpinner / sizeof kSpinner[0];
using namespace ansi;
// How many of a resource's output lines stay on screen, and the layer bar's width.
constexpr size_t kOutputLines = 5;
constexpr int kBarWidth = 20;

bool is_continuation_byte(unsigned char c) { return (c & 0xC0) == 0x80; }

// The longest prefix of `text` that is at most `width` columns wide.
std::string cut_to_width(const std::string& text, size_t width) {
  size_t columns = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_continuation_byte(static_cast<unsigned char>(text[i]))) continue;
    if (columns == width) return text.substr(0, i);
    ++columns;
  }
  return text;
}

// "[=========>          ] 1.2MB/3.4MB" for bytes done of a known total.
std::string byte_bar(std::int64_t current, std::int64_t total) {
  int filled = total > 0 ? static_cast<int>(std::min<std::int64_t>(current, total) * kBarWidth / total) : 0;
  std::string bar = "[";
  for (int i = 0; i < kBarWidth; ++i) bar += i < filled ? "=" : (i == filled ? ">" : " ");
  return bar + "] " + human_size(current) + "/" + human_size(total);
}

void flatten_whitespace(std::string& text) {
  for (auto& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
}

std::string seconds_text(std::chrono::steady_clock::duration elapsed) {
  double seconds = std::chrono::duration<double>(elapsed).count();
  if (seconds < 0) seconds = 0;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1fs", seconds);
  return buffer;
}

}  // namespace

size_t display_width(const std::string& text) {
  size_t columns = 0;
  for (unsigned char c : text)
    if (!is_continuation_byte(c)) ++columns;
  return columns;
}

TtyProgress::TtyProgress(std::ostream& out, TtyOptions options)
    : out_(out), options_(std::move(options)), created_(options_.now()) {}

TtyProgress::~TtyProgress() { finish(); }

void TtyProgress::start_ticker_locked() {
  if (!options_.animate || ticker_.joinable() || finished_) return;
  ticker_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stop_ticker_) {
      wake_.wait_for(lock, options_.interval);
      if (stop_ticker_) break;
      draw_locked(false);
    }
  });
}

TtyProgress::Row& TtyProgress::row_locked(const std::string& parent, const std::string& resource) {
  for (auto& r : rows_)
    if (r.last.resource == resource && r.last.parent == parent) return r;
  auto now = options_.now();
  ProgressEvent first;
  first.resource = resource;
  first.parent = parent;
  rows_.push_back(Row{first, now, now, {}, 0, 0});
  return rows_.back();
}

void TtyProgress::event(const ProgressEvent& e) {
  std::lock_guard lock(mutex_);
  Row& row = row_locked(e.parent, e.resource);
  const auto old_current = row.last.current, old_total = row.last.total;
  row.last = e;
  row.ended = options_.now();
  if (!e.parent.empty())
    for (auto& r : rows_)
      if (r.last.parent.empty() && r.last.resource == e.parent) {
        r.child_current += e.current - old_current;
        r.child_total += e.total - old_total;
      }
  draw_locked(finished_);
  start_ticker_locked();
}

void TtyProgress::output(const std::string& resource, const std::string& line) {
  std::lock_guard lock(mutex_);
  Row& row = row_locked("", resource);
  row.output.push_back(line);
  while (row.output.size() > kOutputLines) row.output.pop_front();
  draw_locked(finished_);
  start_ticker_locked();
}

void TtyProgress::message(const std::string& text) {
  std::lock_guard lock(mutex_);
  erase_locked();
  out_ << text << "\n";
  draw_locked(finished_);
}

void TtyProgress::finish() {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    stop_ticker_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  std::lock_guard lock(mutex_);
  if (!rows_.empty()) draw_locked(true);
  if (cursor_hidden_) {
    out_ << kShowCursor << std::flush;
    cursor_hidden_ = false;
  }
}

void TtyProgress::redraw() {
  std::lock_guard lock(mutex_);
  draw_locked(finished_);
}

void TtyProgress::erase_locked() {
  if (lines_drawn_ > 0) out_ << "\033[" << lines_drawn_ << "A" << kClearBelow;
  lines_drawn_ = 0;
}

std::string TtyProgress::render_row(const Row& row, size_t indent, size_t name_width,
                                    std::chrono::steady_clock::time_point now, size_t spinner_frame) const {
  const auto& e = row.last;
  std::string icon;
  const char* color = nullptr;
  switch (e.state) {
    case ProgressState::Working: icon = kSpinner[spinner_frame % kSpinnerFrames]; break;
    case ProgressState::Done: icon = "✔", color = kGreen; break;
    case ProgressState::Warning: icon = "!", color = kYellow; break;
    case ProgressState::Error: icon = "✘", color = kRed; break;
  }
  std::string text = e.resource;
  text.append(name_width - std::min(name_width, display_width(e.resource)), ' ');
  text += "  " + e.status;
  if (e.state == ProgressState::Working) {
    if (e.total > 0)
      text += " " + byte_bar(e.current, e.total);
    else if (row.child_total > 0)
      text += " " + human_size(row.child_current) + "/" + human_size(row.child_total);
  }
  if (!e.detail.empty()) text += " " + e.detail;
  flatten_whitespace(text);

  auto elapsed = (e.state == ProgressState::Working ? now : row.ended) - row.started;
  std::string timer = seconds_text(elapsed);
  // Never write the last column: some terminals wrap there and break the redraw.
  size_t usable = options_.width > 1 ? static_cast<size_t>(options_.width) - 1 : 1;
  size_t prefix = 3 + indent;  // " " indent icon " "
  size_t room = usable > prefix + timer.size() + 1 ? usable - prefix - timer.size() - 1 : 0;
  if (display_width(text) > room) text = room > 0 ? cut_to_width(text, room - 1) + "…" : "";
  size_t gap = usable - prefix - display_width(text) - timer.size();
  if (usable < prefix + display_width(text) + timer.size()) gap = 1;

  std::string line = " " + std::string(indent, ' ');
  if (options_.color && color)
    line += std::string(color) + icon + kReset;
  else
    line += icon;
  line += " " + text + std::string(gap, ' ');
  if (options_.color)
    line += std::string(kDim) + timer + kReset;
  else
    line += timer;
  return line;
}

std::string TtyProgress::render_output_line(const std::string& text) const {
  constexpr size_t kIndent = 5;  // under the resource's name
  std::string line = text;
  flatten_whitespace(line);
  size_t usable = options_.width > 1 ? static_cast<size_t>(options_.width) - 1 : 1;
  size_t room = usable > kIndent ? usable - kIndent : 0;
  if (display_width(line) > room) line = room > 0 ? cut_to_width(line, room - 1) + "…" : "";
  if (options_.color) return std::string(kIndent, ' ') + kDim + line + kReset;
  return std::string(kIndent, ' ') + line;
}

void TtyProgress::draw_locked(bool final_frame) {
  if (rows_.empty()) return;
  auto now = options_.now();
  auto is_top = [this](const Row& r) {
    if (r.last.parent.empty()) return true;
    return std::none_of(rows_.begin(), rows_.end(), [&](const Row& p) {
      return p.last.parent.empty() && p.last.resource == r.last.parent;
    });
  };
  size_t done = 0, top = 0, name_width = 0, child_width = 0;
  for (const auto& r : rows_) {
    if (is_top(r)) {
      ++top;
      if (r.last.state != ProgressState::Working) ++done;
      name_width = std::max(name_width, display_width(r.last.resource));
    } else {
      child_width = std::max(child_width, display_width(r.last.resource));
    }
  }
  auto ticks = options_.interval.count() > 0 ? (now - created_) / options_.interval : 0;
  size_t spinner_frame = static_cast<size_t>(ticks < 0 ? 0 : ticks);

  std::string frame;
  if (!cursor_hidden_ && !final_frame) {
    frame += kHideCursor;
    cursor_hidden_ = true;
  }
  if (lines_drawn_ > 0) frame += "\033[" + std::to_string(lines_drawn_) + "A";
  frame += kClearLine;
  frame += "[+] Running " + std::to_string(done) + "/" + std::to_string(top) + "\n";
  int lines = 1;
  auto add = [&](const std::string& line) {
    frame += kClearLine + line + "\n";
    ++lines;
  };
  for (const auto& r : rows_) {
    if (!is_top(r)) continue;
    add(render_row(r, 0, name_width, now, spinner_frame));
    if (r.last.state == ProgressState::Working || r.last.state == ProgressState::Error)
      for (const auto& line : r.output) add(render_output_line(line));
    // Nested rows (layers, build steps) while their parent works or failed;
    // collapsed once it is done, as docker compose and buildx show them.
    const bool expanded = r.last.state == ProgressState::Working || r.last.state == ProgressState::Error;
    for (const auto& child : rows_)
      if (expanded && !child.last.parent.empty() && child.last.parent == r.last.resource && r.last.parent.empty())
        add(render_row(child, 2, child_width, now, spinner_frame));
  }
  // A shorter frame (output lines gone) leaves the old frame's tail below.
  if (lines < lines_drawn_) frame += kClearBelow;
  out_ << frame << std::flush;
  lines_drawn_ = lines;
}

}  // namespace berth::ui
