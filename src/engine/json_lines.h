#pragma once
// Splits a stream of newline-separated JSON documents (events, build/pull/push
// progress) into lines; input may be split at any byte.
#include <functional>
#include <string>
#include <string_view>

namespace berth::engine {

class JsonLineSplitter {
 public:
  using Sink = std::function<void(std::string_view line)>;

  // Lines longer than this are an error rather than unbounded memory.
  static constexpr size_t max_line_size = 64 * 1024 * 1024;

  // Calls `sink` for each complete, non-blank line (without "\r\n"/"\n").
  void feed(std::string_view input, const Sink& sink);
  // At the end of the stream: delivers a last line that had no newline.
  void finish(const Sink& sink);

 private:
  void deliver(std::string_view line, const Sink& sink);
  std::string pending_;
};

}  // namespace berth::engine
