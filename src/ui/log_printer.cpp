#include "berth/ui/log_printer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "ansi.h"

namespace berth::ui {
namespace {

using ansi::kReset;

std::string colored(const std::string& color, const std::string& text) {
  if (color.empty()) return text;
  return "\033[" + color + "m" + text + kReset;
}

int fd_of(LogStream stream) { return stream == LogStream::Out ? STDOUT_FILENO : STDERR_FILENO; }

size_t index_of(LogStream stream) { return stream == LogStream::Out ? 0 : 1; }

}  // namespace

void FdLogOutput::write(LogStream stream, std::string_view bytes) {
  const int fd = fd_of(stream);
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "writing container output");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

std::string log_color_code(size_t index) {
  static const char* const kRainbow[] = {"36", "33", "32", "35", "34", "36;1", "33;1", "32;1", "35;1", "34;1"};
  return kRainbow[index % (sizeof kRainbow / sizeof kRainbow[0])];
}

LogPrinter::LogPrinter(LogOutput& output, LogPrinterOptions options) : output_(output), options_(options) {
  if (options_.max_line_bytes == 0) options_.max_line_bytes = 1;
}

void LogPrinter::register_locked(const std::string& name) {
  if (presenters_.count(name)) return;
  Presenter p;
  if (options_.color) p.color = log_color_code(next_color_++);
  presenters_.emplace(name, std::move(p));
  if (name.size() + 1 > width_) {
    width_ = name.size() + 1;
    prefixes_.clear();
  }
}

void LogPrinter::register_name(const std::string& name) {
  std::lock_guard lock(mutex_);
  register_locked(name);
}

const std::string& LogPrinter::prefix_locked(const std::string& name) {
  static const std::string kNone;
  if (!options_.prefix) return kNone;
  auto cached = prefixes_.find(name);
  if (cached != prefixes_.end()) return cached->second;
  register_locked(name);
  std::string padded = name;
  padded.resize(std::max(width_, name.size()), ' ');
  padded += " | ";
  return prefixes_.emplace(name, colored(presenters_[name].color, padded)).first->second;
}

std::string LogPrinter::prefix_of(const std::string& name) {
  std::lock_guard lock(mutex_);
  return prefix_locked(name);
}

std::unique_ptr<ContainerLog> LogPrinter::open(const std::string& name) {
  register_name(name);
  return std::unique_ptr<ContainerLog>(new ContainerLog(*this, name));
}

void LogPrinter::status(const std::string& name, const std::string& text) {
  std::lock_guard lock(mutex_);
  register_locked(name);
  output_.write(LogStream::Out, colored(presenters_[name].color, text) + "\n");
}

ContainerLog::ContainerLog(LogPrinter& printer, std::string name) : printer_(printer), name_(std::move(name)) {}

ContainerLog::~ContainerLog() {
  try {
    finish();
  } catch (...) {
    // Output failed (closed pipe): nothing left to tell anyone.
  }
}

// Appends prefix+line+"\n" to `batch` for every line `bytes` completes, and
// keeps the unterminated rest for the next piece.
void ContainerLog::append_lines(LogStream stream, std::string_view bytes, std::string& batch) {
  std::string& pending = pending_[index_of(stream)];
  const std::string& prefix = printer_.prefix_locked(name_);
  const size_t limit = printer_.options_.max_line_bytes;
  while (!bytes.empty()) {
    auto newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      // Keep at most `limit` bytes of an unfinished line.
      while (pending.size() + bytes.size() > limit) {
        size_t take = limit - pending.size();
        batch += prefix;
        batch += pending;
        batch.append(bytes.data(), take);
        batch += '\n';
        pending.clear();
        bytes.remove_prefix(take);
      }
      pending.append(bytes);
      return;
    }
    std::string_view line = bytes.substr(0, newline);
    batch += prefix;
    if (!pending.empty()) {
      batch += pending;
      pending.clear();
    }
    batch.append(line);
    batch += '\n';
    bytes.remove_prefix(newline + 1);
  }
}

void ContainerLog::feed(LogStream stream, std::string_view bytes) {
  if (bytes.empty()) return;
  constexpr size_t kBatchBytes = 64 * 1024;
  std::string& batch = batch_[index_of(stream)];
  std::lock_guard lock(printer_.mutex_);
  append_lines(stream, bytes, batch);
  if (batch.size() >= kBatchBytes) {
    printer_.output_.write(stream, batch);
    batch.clear();
  }
}

void ContainerLog::flush() {
  std::lock_guard lock(printer_.mutex_);
  for (LogStream stream : {LogStream::Out, LogStream::Err}) {
    std::string& batch = batch_[index_of(stream)];
    if (batch.empty()) continue;
    printer_.output_.write(stream, batch);
    batch.clear();
  }
}

void ContainerLog::finish() {
  {
    std::lock_guard lock(printer_.mutex_);
    for (LogStream stream : {LogStream::Out, LogStream::Err}) {
      std::string& pending = pending_[index_of(stream)];
      if (pending.empty()) continue;
      std::string& batch = batch_[index_of(stream)];
      batch += printer_.prefix_locked(name_);
      batch += pending;
      batch += '\n';
      pending.clear();
    }
  }
  flush();
}

}  // namespace berth::ui
