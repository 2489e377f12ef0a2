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
  if (input.empty()) return;
  const size_t piece = (static_cast<unsigned char>(input[0]) % 8 + 1) * 97;
  input.remove_prefix(1);
  berth::fuzz::fuzz_guard([&] {
    Collector collector;
    berth::engine::TarStreamReader reader(collector);
    while (!input.empty()) {
      auto chunk = input.substr(0, piece);
      reader.feed(chunk);
      input.remove_prefix(chunk.size());
    }
    reader.finish();
  });
}
