#include "json_lines.h"

#include "berth/util/error.h"

namespace berth::engine {

void JsonLineSplitter::deliver(std::string_view line, const Sink& sink) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r'))
    line.remove_prefix(1);
  if (!line.empty()) sink(line);
}

void JsonLineSplitter::feed(std::string_view input, const Sink& sink) {
  while (!input.empty()) {
    auto newline = input.find('\n');
    if (newline == std::string_view::npos) {
      if (pending_.size() + input.size() > max_line_size)
        throw Error(ErrorKind::Engine, "a line of the Docker engine's JSON stream is too long");
      pending_.append(input);
      return;
    }
    if (pending_.empty()) {
      deliver(input.substr(0, newline), sink);
    } else {
      pending_.append(input.substr(0, newline));
      std::string line = std::move(pending_);
      pending_.clear();
      deliver(line, sink);
    }
    input.remove_prefix(newline + 1);
  }
}

void JsonLineSplitter::finish(const Sink& sink) {
  std::string line = std::move(pending_);
  pending_.clear();
  deliver(line, sink);
}

}  // namespace berth::engine
