#include "stdcopy.h"

#include <algorithm>
#include <string>

#include "berth/util/error.h"

namespace berth::engine {

const char* to_string(StreamKind kind) {
  switch (kind) {
    case StreamKind::Stdin: return "stdin";
    case StreamKind::Stdout: return "stdout";
    case StreamKind::Stderr: return "stderr";
    case StreamKind::System: return "system";
  }
  return "unknown";
}

std::string stdcopy_frame(StreamKind kind, std::string_view payload) {
  std::string frame(8, '\0');
  frame[0] = static_cast<char>(kind);
  auto size = static_cast<std::uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) frame[7 - i] = static_cast<char>((size >> (8 * i)) & 0xff);
  frame.append(payload);
  return frame;
}

void StdcopyDemuxer::feed(std::string_view input, const Sink& sink) {
  size_t i = 0;
  while (i < input.size()) {
    if (remaining_ == 0) {
      size_t take = std::min(header_.size() - header_size_, input.size() - i);
      std::copy_n(input.data() + i, take, header_.data() + header_size_);
      header_size_ += take;
      i += take;
      if (header_size_ < header_.size()) return;
      header_size_ = 0;
      if (header_[0] > 3 || header_[1] || header_[2] || header_[3])
        throw Error(ErrorKind::Engine,
                    "the Docker engine's output is not a multiplexed stdout/stderr stream "
                    "(bad frame header)");
      kind_ = static_cast<StreamKind>(header_[0]);
      remaining_ = (std::uint32_t{header_[4]} << 24) | (std::uint32_t{header_[5]} << 16) |
                   (std::uint32_t{header_[6]} << 8) | std::uint32_t{header_[7]};
      continue;
    }
    size_t take = std::min<size_t>(remaining_, input.size() - i);
    sink(kind_, input.substr(i, take));
    i += take;
    remaining_ -= static_cast<std::uint32_t>(take);
  }
}

}  // namespace berth::engine
