#pragma once
// Prints the output of several containers at once the way docker compose v2
// does: every line gets the container's prefix ("web-1  | ", the name padded
// to the widest registered name, one colour per container), stdout lines go
// to stdout and stderr lines to stderr.
//
// Each container's bytes arrive in arbitrary pieces (stdcopy frames, TCP
// reads); a line is printed once, whole, when its newline arrives (or when
// the container's stream ends), so lines of different containers never
// interleave mid-line. Bytes are passed through untouched (binary-safe).
// Memory is bounded: a line longer than `max_line_bytes` is printed in pieces
// of that size, each with the prefix.
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace berth::ui {

enum class LogStream { Out, Err };

// Where printed bytes go; called with the printer's lock held, so calls never
// overlap.
class LogOutput {
 public:
  virtual ~LogOutput() = default;
  virtual void write(LogStream stream, std::string_view bytes) = 0;
};

// Writes to file descriptors 1 and 2 (retrying short writes; a closed pipe
// raises SIGPIPE as for any CLI tool).
class FdLogOutput final : public LogOutput {
 public:
  void write(LogStream stream, std::string_view bytes) override;
};

struct LogPrinterOptions {
  bool prefix = true;  // false: --no-log-prefix
  bool color = true;   // false: --no-color, --ansi never, or not a terminal with --ansi auto
  size_t max_line_bytes = 8 * 1024 * 1024;
};

// The ANSI colour of the n-th registered container, in docker compose's order
// (cyan, yellow, green, magenta, blue, then their bold variants).
std::string log_color_code(size_t index);

class LogPrinter;

// One container's output. Not thread-safe itself: one thread feeds one
// ContainerLog; several ContainerLogs may be fed concurrently.
class ContainerLog {
 public:
  ContainerLog(const ContainerLog&) = delete;
  ContainerLog& operator=(const ContainerLog&) = delete;
  ~ContainerLog();  // finishes

  // Completed lines are collected and written in batches: call flush() once
  // a piece of input has been fed (e.g. after each read from the engine).
  void feed(LogStream stream, std::string_view bytes);
  void flush();
  // Prints what is left of an unterminated last line (with a newline added)
  // and flushes.
  void finish();

 private:
  friend class LogPrinter;
  ContainerLog(LogPrinter& printer, std::string name);
  void append_lines(LogStream stream, std::string_view bytes, std::string& batch);

  LogPrinter& printer_;
  std::string name_;
  std::string pending_[2];  // unterminated line per stream
  std::string batch_[2];    // completed lines not written yet
};

class LogPrinter {
 public:
  LogPrinter(LogOutput& output, LogPrinterOptions options);

  // Makes `name` known so the prefix width accounts for it (docker compose
  // pads every prefix to the widest name seen so far plus one).
  void register_name(const std::string& name);
  // Output handle for a container; registers the name if needed.
  std::unique_ptr<ContainerLog> open(const std::string& name);
  // A line not from a container (e.g. "web-1 exited with code 0"), printed
  // to stdout in the container's colour.
  void status(const std::string& name, const std::string& text);

  // The current prefix of `name` (empty with prefix off); for tests.
  std::string prefix_of(const std::string& name);

 private:
  friend class ContainerLog;
  struct Presenter {
    std::string color;  // ANSI code, "" for none
  };
  const std::string& prefix_locked(const std::string& name);
  void register_locked(const std::string& name);
  void write(LogStream stream, std::string_view bytes);

  LogOutput& output_;
  LogPrinterOptions options_;
  std::mutex mutex_;
  std::map<std::string, Presenter> presenters_;
  std::map<std::string, std::string> prefixes_;  // cached, rebuilt when the width changes
  size_t width_ = 0;
  size_t next_color_ = 0;
};

}  // namespace berth::ui
