#include <catch2/catch.hpp>

#include "berth/engine/tar.h"
#include "support/tar_archive.h"

using namespace berth::engine;
using berth::test::read_tar;
using berth::test::TarWriter;

namespace {

TarEntry make(std::string name, char type, unsigned mode, std::string content = {}, std::string link = {},
              std::int64_t mtime = 0) {
  TarEntry e;
  e.name = std::move(name);
  e.type = type;
  e.mode = mode;
  e.content = std::move(content);
  e.link_target = std::move(link);
  e.mtime = mtime;
  return e;
}

}  // namespace

TEST_CASE("tar: long names, symlinks, hard links, modes and empty dirs read back", "[engine][tar]") {
  const std::string ustar_split = std::string(120, 'd') + "/" + std::string(90, 'f');  // prefix + name fields
  const std::string pax_name = std::string(200, 'p') + "/" + std::string(150, 'q');    // fits neither
  const std::string long_target = "../" + std::string(150, 't');

  std::vector<TarEntry> entries;
  auto add = [&](TarEntry e) { entries.push_back(std::move(e)); };
  add(make("empty/", '5', 0700));
  add(make("bin/tool", '0', 04755, "#!/bin/sh\n", "", 1600000000));
  add(make("sticky/", '5', 01777));
  add(make(ustar_split, '0', 0644, "split"));
  add(make(pax_name, '0', 0644, std::string(700, 'x')));
  add(make("link", '2', 0777, "", "/etc/passwd"));
  add(make("long-link", '2', 0777, "", long_target));
  add(make("hard", '1', 04755, "", "bin/tool"));
  add(make("pipe", '6', 0600));

  TarWriter writer;
  for (const auto& e : entries) writer.add(e);
  auto back = read_tar(writer.finish());
  REQUIRE(back.size() == entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    INFO(entries[i].name);
    CHECK(back[i].name == entries[i].name);
    CHECK(back[i].type == entries[i].type);
    CHECK(back[i].mode == entries[i].mode);
    CHECK(back[i].content == entries[i].content);
    CHECK(back[i].link_target == entries[i].link_target);
    CHECK(back[i].mtime == entries[i].mtime);
    CHECK(back[i].uid == 0);
  }
}

TEST_CASE("tar: headers written piece by piece make the same archive as TarWriter", "[engine][tar]") {
  TarEntry file = make(std::string(300, 'n'), '0', 0640, std::string(1000, 'c'));
  TarEntry dir = make("d/", '5', 0755);
  TarWriter writer;
  writer.add(file);
  writer.add(dir);
  std::string streamed = tar_header(file, file.content.size()) + file.content +
                         std::string(tar_padding(file.content.size()), '\0') + tar_header(dir, 0) +
                         std::string(tar_trailer_size, '\0');
  CHECK(streamed == writer.finish());
  CHECK(tar_padding(0) == 0);
  CHECK(tar_padding(512) == 0);
  CHECK(tar_padding(513) == 511);
}

TEST_CASE("tar: a file over 8 GiB gets its size in a PAX record", "[engine][tar]") {
  TarEntry big = make("big.bin", '0', 0644);
  auto header = tar_header(big, std::uint64_t{9} << 30);
  CHECK(header.size() == 3 * 512);  // PAX header, its records, the entry's header
  CHECK(header.find("size=9663676416\n") != std::string::npos);
}
