#pragma once
// Whole tar archives in memory, for tests: a writer made of the engine's
// header encoding, and a reader made of its streaming reader fed at once.
#include <string>
#include <string_view>
#include <vector>

#include "berth/engine/tar.h"

namespace berth::test {

class TarWriter {
 public:
  void add_file(const std::string& name, std::string_view content, unsigned mode = 0644) {
    engine::TarEntry entry;
    entry.name = name;
    entry.content = std::string(content);
    entry.mode = mode;
    add(entry);
  }
  void add_directory(const std::string& name, unsigned mode = 0755) {
    engine::TarEntry entry;
    entry.name = name.ends_with('/') ? name : name + "/";
    entry.type = '5';
    entry.mode = mode;
    add(entry);
  }
  void add(const engine::TarEntry& entry) {
    data_ += engine::tar_header(entry, entry.content.size());
    if (entry.type == '0') {
      data_ += entry.content;
      data_.append(engine::tar_padding(entry.content.size()), '\0');
    }
  }
  // The archive so far plus the two zero blocks that end it.
  std::string finish() const { return data_ + std::string(engine::tar_trailer_size, '\0'); }

 private:
  std::string data_;
};

// Every entry of an archive, regular files with their content. Throws
// berth::Error on a malformed or truncated archive.
inline std::vector<engine::TarEntry> read_tar(std::string_view archive) {
  struct Collect final : engine::TarStreamReader::Handler {
    std::vector<engine::TarEntry> entries;
    bool begin(const engine::TarEntry& entry, std::uint64_t) override {
      entries.push_back(entry);
      return true;
    }
    void content(std::string_view bytes) override { entries.back().content += bytes; }
    void end() override {}
  } collect;
  engine::TarStreamReader reader(collect);
  reader.feed(archive);
  reader.finish();
  return std::move(collect.entries);
}

}  // namespace berth::test
