#include <catch2/catch.hpp>

#include "berth/engine/tar.h"
#include "support/tar_archive.h"
#include "berth/util/error.h"

using namespace berth::engine;
using berth::test::read_tar;
using berth::test::TarWriter;

TEST_CASE("tar: what TarWriter writes, read_tar reads back", "[engine][tar]") {
  std::string long_dir(120, 'd');
  struct Case {
    std::string name;
    std::string content;
  };
  const std::vector<Case> files = {
      {"Dockerfile", "FROM berth-local/busybox:latest\nCOPY hello.txt /\n"},
      {"empty", ""},
      {"dir/exactly-512", std::string(512, 'x')},
      {"dir/513", std::string(513, 'y')},
      {long_dir + "/long-name.txt", "deep"},
  };
  TarWriter writer;
  writer.add_directory("dir");
  for (const auto& f : files) writer.add_file(f.name, f.content);
  auto archive = writer.finish();
  CHECK(archive.size() % 512 == 0);

  auto entries = read_tar(archive);
  REQUIRE(entries.size() == files.size() + 1);
  CHECK(entries[0].name == "dir/");
  CHECK(entries[0].type == '5');
  for (size_t i = 0; i < files.size(); ++i) {
    INFO(files[i].name);
    CHECK(entries[i + 1].name == files[i].name);
    CHECK(entries[i + 1].content == files[i].content);
    CHECK(entries[i + 1].mode == 0644);
  }
}

TEST_CASE("tar: damaged archives are errors", "[engine][tar]") {
  TarWriter writer;
  writer.add_file("a.txt", std::string(600, 'a'));
  auto archive = writer.finish();
  SECTION("checksum") {
    archive[0] = 'b';
    CHECK_THROWS_AS(read_tar(archive), berth::Error);
  }
  SECTION("truncated") { CHECK_THROWS_AS(read_tar(archive.substr(0, 700)), berth::Error); }
}
