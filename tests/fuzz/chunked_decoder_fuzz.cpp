// HTTP/1.1 chunked bodies from the engine, arriving in pieces of any size:
// the first byte picks the piece size, so splits inside sizes, extensions,
// CRLFs and trailers are all tried.
#include "engine/chunked_decoder.h"
#include "fuzz_target.h"

BERTH_FUZZ_TARGET(chunked_decoder) {
  if (input.empty()) return;
  const size_t piece = static_cast<unsigned char>(input[0]) % 16 + 1;
  input.remove_prefix(1);
  berth::fuzz::fuzz_guard([&] {
    berth::engine::ChunkedDecoder decoder;
    std::string out;
    while (!input.empty() && !decoder.done()) {
      auto chunk = input.substr(0, piece);
      auto used = decoder.feed(chunk, out);
      if (used > chunk.size()) throw std::logic_error("consumed more than it was given");
      if (used < chunk.size() && !decoder.done()) throw std::logic_error("left bytes before the end of the body");
      input.remove_prefix(used == 0 ? chunk.size() : used);
    }
  });
}
