#pragma once
// Demultiplexer for the engine's stdout/stderr framing, used by logs and
// attach/exec of containers without a TTY: each frame is an 8-byte header
// (stream byte, three zero bytes, big-endian 32-bit length) then the payload.
// Incremental: input may be split at any byte; payload is delivered as it
// arrives, so one frame may reach the sink in several pieces.
#include <array>
#include <cstdint>
#include <functional>
#include <string_view>

#include "berth/engine/types.h"

namespace berth::engine {

// Encodes one frame (for tests and fakes).
std::string stdcopy_frame(StreamKind kind, std::string_view payload);

class StdcopyDemuxer {
 public:
  using Sink = std::function<void(StreamKind, std::string_view)>;

  // Throws berth::Error when the bytes are not a multiplexed stream.
  void feed(std::string_view input, const Sink& sink);

  // True when everything fed so far ended exactly at a frame boundary; false
  // means the stream was cut in the middle of a frame.
  bool at_frame_boundary() const { return header_size_ == 0 && remaining_ == 0; }

 private:
  std::array<unsigned char, 8> header_{};
  size_t header_size_ = 0;
  std::uint32_t remaining_ = 0;
  StreamKind kind_ = StreamKind::Stdout;
};

}  // namespace berth::engine
