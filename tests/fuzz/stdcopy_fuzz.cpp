// The engine's multiplexed stdout/stderr stream (8-byte frame headers), in
// pieces of any size.
#include "engine/stdcopy.h"
#include "fuzz_target.h"

BERTH_FUZZ_TARGET(stdcopy) {
  berth::fuzz::fuzz_guard([&] {
    berth::engine::StdcopyDemuxer demuxer;
    size_t delivered = 0;
    berth::fuzz::feed_in_pieces(input, 32, 1, [&](std::string_view piece) {
      demuxer.feed(piece, [&](berth::engine::StreamKind, std::string_view bytes) { delivered += bytes.size(); });
    });
    (void)demuxer.at_frame_boundary();
  });
}
