// TarStreamReader (archives read as they arrive) and tar_body (archives
// produced while sent): the pieces cp uses to move hundreds of MB in
// constant memory.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "berth/engine/tar.h"
#include "support/tar_archive.h"
#include "berth/util/error.h"

using namespace berth::engine;
using berth::test::read_tar;
using berth::test::TarWriter;

namespace {

// Collects what the reader hands over, checking that content only comes
// between begin and end.
class Collecting final : public TarStreamReader::Handler {
 public:
  bool begin(const TarEntry& entry, std::uint64_t size) override {
    REQUIRE_FALSE(open_);
    open_ = true;
    entries.push_back(entry);
    sizes.push_back(size);
    return stop_at.empty() || entry.name != stop_at;
  }
  void content(std::string_view bytes) override {
    REQUIRE(open_);
    entries.back().content.append(bytes);
  }
  void end() override {
    REQUIRE(open_);
    open_ = false;
  }

  std::vector<TarEntry> entries;
  std::vector<std::uint64_t> sizes;
  std::string stop_at;

 private:
  bool open_ = false;
};

std::string sample_archive() {
  TarWriter writer;
  writer.add_directory("root");
  writer.add_file("root/empty", "");
  writer.add_file("root/exactly-512", std::string(512, 'x'));
  writer.add_file("root/" + std::string(150, 'n') + "/long", "long name via PAX");
  TarEntry link;
  link.name = "root/link";
  link.type = '2';
  link.link_target = std::string(130, 't');  // PAX linkpath
  writer.add(link);
  writer.add_file("root/binary", std::string("\0\x01\xff\n\r", 5) + std::string(1000, 'b'), 0755);
  return writer.finish();
}

}  // namespace

TEST_CASE("tar stream: the same entries as read_tar at every split point", "[engine][tar]") {
  const auto archive = sample_archive();
  const auto expected = read_tar(archive);
  for (size_t split = 0; split <= archive.size(); ++split) {
    Collecting handler;
    TarStreamReader reader(handler);
    reader.feed(std::string_view(archive).substr(0, split));
    reader.feed(std::string_view(archive).substr(split));
    reader.finish();
    REQUIRE(handler.entries.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      INFO("split " << split << " entry " << expected[i].name);
      CHECK(handler.entries[i].name == expected[i].name);
      CHECK(handler.entries[i].type == expected[i].type);
      CHECK(handler.entries[i].content == expected[i].content);
      CHECK(handler.entries[i].link_target == expected[i].link_target);
      CHECK(handler.entries[i].mode == expected[i].mode);
    }
  }
}

TEST_CASE("tar stream: byte by byte, sizes announced with each header", "[engine][tar]") {
  const auto archive = sample_archive();
  Collecting handler;
  TarStreamReader reader(handler);
  for (char c : archive) reader.feed(std::string_view(&c, 1));
  reader.finish();
  REQUIRE(reader.entries() == 6);
  CHECK(handler.sizes == std::vector<std::uint64_t>{0, 0, 512, 17, 0, 1005});
}

TEST_CASE("tar stream: a handler that declines stops the reading", "[engine][tar]") {
  Collecting handler;
  handler.stop_at = "root/empty";
  TarStreamReader reader(handler);
  reader.feed(sample_archive());
  reader.finish();
  CHECK(handler.entries.size() == 2);
}

TEST_CASE("tar stream: truncated or damaged archives are errors", "[engine][tar]") {
  const auto archive = sample_archive();
  {
    Collecting handler;
    TarStreamReader reader(handler);
    reader.feed(std::string_view(archive).substr(0, 512 * 3 + 100));  // inside exactly-512's content
    CHECK_THROWS_AS(reader.finish(), berth::Error);
  }
  {
    auto damaged = archive;
    damaged[10] ^= 0x55;  // the first header's checksum no longer matches
    Collecting handler;
    TarStreamReader reader(handler);
    CHECK_THROWS_AS(reader.feed(damaged), berth::Error);
  }
}

TEST_CASE("tar body: files read from disk piece by piece, archive as TarWriter's", "[engine][tar]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("berth-tar-body-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string big(3 * 4096 + 7, 'z');
  std::ofstream(dir / "big", std::ios::binary) << big;
  std::ofstream(dir / "small", std::ios::binary) << "hello";

  std::vector<TarSourceEntry> entries(4);
  entries[0].header.name = "d/";
  entries[0].header.type = '5';
  entries[0].header.mode = 0755;
  entries[1].header.name = "d/big";
  entries[1].source = (dir / "big").string();
  entries[1].size = big.size();
  entries[2].header.name = "d/memory";
  entries[2].header.content = "made in memory";
  entries[3].header.name = "d/small";
  entries[3].source = (dir / "small").string();
  entries[3].size = 5;

  TarWriter writer;
  writer.add_directory("d");
  writer.add_file("d/big", big);
  writer.add_file("d/memory", "made in memory");
  writer.add_file("d/small", "hello");

  auto body = tar_body(entries, 4096);
  std::string archive, chunk;
  size_t largest = 0;
  bool more = true;
  while (more) {
    more = body(chunk);
    largest = std::max(largest, chunk.size());
    archive += chunk;
  }
  CHECK(archive == writer.finish());
  CHECK(largest <= 4096 + 3 * 512);  // pieces of about the asked size, never a whole file

  // A file that shrank since it was listed is named.
  std::ofstream(dir / "big", std::ios::binary | std::ios::trunc) << "short";
  auto again = tar_body(entries, 4096);
  auto drain = [&] {
    while (again(chunk)) {
    }
  };
  CHECK_THROWS_WITH(drain(), Catch::Contains("big") && Catch::Contains("shrank"));
  fs::remove_all(dir);
}
