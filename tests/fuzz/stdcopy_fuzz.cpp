// The engine's multiplexed stdout/stderr stream (8-byte frame headers), in
// pieces of any size.
#include "engine/stdcopy.h"
#include "fuzz_target.h"

BERTH_FUZZ_TARGET(stdcopy) {
  if (input.empty()) return;
  const size_t piece = static_cast<unsigned char>(input[0]) % 32 + 1;
  input.remove_prefix(1);
  berth::fuzz::fuzz_guard([&] {
    berth::engine::StdcopyDemuxer demuxer;
    size_t delivered = 0;
    while (!input.empty()) {
      auto chunk = input.substr(0, piece);
      demuxer.feed(chunk, [&](berth::engine::StreamKind, std::string_view bytes) { delivered += bytes.size(); });
      input.remove_prefix(chunk.size());
    }
    (void)demuxer.at_frame_boundary();
  });
}
