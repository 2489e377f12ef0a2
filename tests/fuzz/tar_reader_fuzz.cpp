// The tar reader behind `cp` from a container (ustar, GNU long names, PAX
// records), fed in pieces of any size.
#include "berth/engine/tar.h"
#include "fuzz_target.h"

namespace {

class Collector : public berth::engine::TarStreamReader::Handler {
 public:
  bool begin(const berth::engine::TarEntry& entry, std::uint64_t) override {
    names_ += entry.name.size();
    return true;
  }
  void content(std::string_view bytes) override { bytes_ += bytes.size(); }
  void end() override {}

 private:
  size_t names_ = 0;
  size_t bytes_ = 0;
};

}  // namespace

BERTH_FUZZ_TARGET(tar_reader) {
  berth::fuzz::fuzz_guard([&] {
    Collector collector;
    berth::engine::TarStreamReader reader(collector);
    berth::fuzz::feed_in_pieces(input, 8, 97, [&](std::string_view piece) { reader.feed(piece); });
    reader.finish();
  });
}
