#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "berth/engine/tar.h"
#include "support/tar_archive.h"
#include "berth/builder/build_context.h"
#include "berth/util/error.h"

namespace fs = std::filesystem;
using berth::builder::BuildContext;
using berth::builder::ContextSource;

namespace {

// A scratch directory removed when the test ends.
struct Scratch {
  fs::path dir;
  Scratch() {
    static int counter = 0;
    dir = fs::temp_directory_path() /
          ("berth-context-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(dir);
    fs::create_directories(dir / "ctx");
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path ctx() const { return dir / "ctx"; }
  void write(const fs::path& rel, const std::string& content, const fs::path& base = {}) const {
    auto path = (base.empty() ? ctx() : base) / rel;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }
};

std::string drain(const BuildContext& context, size_t piece_size) {
  auto source = context.archive(piece_size);
  std::string archive, chunk;
  while (true) {
    bool more = source(chunk);
    archive += chunk;
    if (!more) break;
  }
  return archive;
}

const berth::engine::TarEntry* find(const std::vector<berth::engine::TarEntry>& entries, const std::string& name) {
  for (const auto& e : entries)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("build context: what .dockerignore lets through, as the tar the engine gets", "[exec][build_context]") {
  Scratch s;
  s.write("Dockerfile", "FROM scratch\n");
  s.write(".dockerignore", "Dockerfile\n.dockerignore\n*.log\nsecret\n!secret/keep.txt\nnode_modules\n");
  s.write("app/main.py", "print('hi')\n");
  s.write("app/debug.log", "noise");
  s.write("top.log", "noise");
  s.write("secret/key", "hidden");
  s.write("secret/keep.txt", "kept");
  s.write("node_modules/x/index.js", "x");
  s.write("run.sh", "#!/bin/sh\n");
  fs::permissions(s.ctx() / "run.sh", fs::perms(0755));
  fs::create_directories(s.ctx() / "empty");
  fs::create_symlink("/etc/passwd", s.ctx() / "passwd-link");
  fs::create_hard_link(s.ctx() / "app/main.py", s.ctx() / "app/same.py");
  const std::string long_dir(120, 'd');
  s.write(fs::path(long_dir) / std::string(110, 'f'), "deep");
  ::utimensat(AT_FDCWD, (s.ctx() / "app/main.py").c_str(),
              std::array<timespec, 2>{timespec{1600000000, 5}, timespec{1600000000, 5}}.data(), AT_SYMLINK_NOFOLLOW);

  auto context = BuildContext::prepare({s.ctx().string(), "", std::nullopt});
  CHECK(context.dockerfile_name() == "Dockerfile");
  const std::vector<std::string> expected = {
      ".dockerignore",  // always sent, even though it excludes itself
      "Dockerfile",     // likewise
      "app/",
      "app/debug.log",  // "*.log" matches at the root only, as in Docker ("**/*.log" would match it)
      "app/main.py",
      "app/same.py",
      long_dir + "/",
      long_dir + "/" + std::string(110, 'f'),
      "empty/",
      "passwd-link",
      "run.sh",
      "secret/keep.txt",  // the excluded directory itself stays out
  };
  CHECK(context.names() == expected);

  for (size_t piece : {size_t{1} << 20, size_t{4096}}) {
    INFO("piece size " << piece);
    auto archive = drain(context, piece);
    CHECK(archive.size() % 512 == 0);
    auto entries = berth::test::read_tar(archive);
    REQUIRE(entries.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      CHECK(entries[i].name == expected[i]);
      CHECK(entries[i].uid == 0);
      CHECK(entries[i].gid == 0);
    }
    CHECK(find(entries, "app/main.py")->content == "print('hi')\n");
    CHECK(find(entries, "app/main.py")->mtime == 1600000000);
    CHECK(find(entries, "app/same.py")->type == '1');
    CHECK(find(entries, "app/same.py")->link_target == "app/main.py");
    CHECK(find(entries, "run.sh")->mode == 0755);
    CHECK(find(entries, "empty/")->type == '5');
    CHECK(find(entries, "passwd-link")->type == '2');
    CHECK(find(entries, "passwd-link")->link_target == "/etc/passwd");
    CHECK(find(entries, "passwd-link")->content.empty());  // never followed
    CHECK(find(entries, long_dir + "/" + std::string(110, 'f'))->content == "deep");
  }
}

TEST_CASE("build context: a Dockerfile outside the context or inline travels under its own name",
          "[exec][build_context]") {
  Scratch s;
  s.write("app.txt", "app");
  s.write("Dockerfile.outside", "FROM scratch\nCOPY app.txt /\n", s.dir);

  SECTION("outside, no .dockerignore") {
    auto context = BuildContext::prepare({s.ctx().string(), "../Dockerfile.outside", std::nullopt});
    const auto& name = context.dockerfile_name();
    CHECK(name.starts_with(".dockerfile."));
    auto entries = berth::test::read_tar(drain(context, 1 << 20));
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].name == name);
    CHECK(entries[0].content == "FROM scratch\nCOPY app.txt /\n");
    CHECK(entries[1].name == ".dockerignore");
    CHECK(entries[1].content == ".dockerignore\n" + name + "\n");
    CHECK(entries[2].name == "app.txt");
  }
  SECTION("absolute path outside, existing .dockerignore gets the name appended") {
    s.write(".dockerignore", "*.tmp");
    auto context = BuildContext::prepare({s.ctx().string(), (s.dir / "Dockerfile.outside").string(), std::nullopt});
    auto entries = berth::test::read_tar(drain(context, 1 << 20));
    auto* ignore = find(entries, ".dockerignore");
    REQUIRE(ignore);
    CHECK(ignore->content == "*.tmp\n" + context.dockerfile_name() + "\n");
    CHECK(find(entries, context.dockerfile_name()));
  }
  SECTION("inline") {
    auto context = BuildContext::prepare({s.ctx().string(), "", std::string("FROM scratch\n")});
    auto entries = berth::test::read_tar(drain(context, 1 << 20));
    CHECK(find(entries, context.dockerfile_name())->content == "FROM scratch\n");
  }
  SECTION("a Dockerfile in a subdirectory that .dockerignore excludes") {
    s.write("docker/app.Dockerfile", "FROM scratch\n");
    s.write("docker/other", "x");
    s.write(".dockerignore", "docker\n");
    auto context = BuildContext::prepare({s.ctx().string(), "docker/app.Dockerfile", std::nullopt});
    CHECK(context.dockerfile_name() == "docker/app.Dockerfile");
    CHECK(context.names() == std::vector<std::string>{".dockerignore", "app.txt", "docker/app.Dockerfile"});
  }
}

TEST_CASE("build context: bad contexts are clear errors", "[exec][build_context]") {
  Scratch s;
  auto message = [](const ContextSource& source) {
    try {
      BuildContext::prepare(source);
    } catch (const berth::Error& e) {
      return e.message();
    }
    return std::string("no error");
  };
  CHECK_THAT(message({(s.dir / "missing").string(), "", std::nullopt}), Catch::Contains("does not exist"));
  s.write("file", "x");
  CHECK_THAT(message({(s.ctx() / "file").string(), "", std::nullopt}), Catch::Contains("is not a directory"));
  CHECK_THAT(message({s.ctx().string(), "", std::nullopt}), Catch::Contains("cannot find the Dockerfile"));
  s.write("Dockerfile", "FROM scratch\n");
  s.write(".dockerignore", "[oops\n");
  CHECK_THAT(message({s.ctx().string(), "", std::nullopt}), Catch::Contains("malformed pattern"));

  SECTION("a file that goes away before it is sent") {
    fs::remove(s.ctx() / ".dockerignore");
    s.write("data.bin", std::string(10000, 'x'));
    auto context = BuildContext::prepare({s.ctx().string(), "", std::nullopt});
    fs::remove(s.ctx() / "data.bin");
    try {
      drain(context, 4096);
      FAIL("no error");
    } catch (const berth::Error& e) {
      CHECK_THAT(e.message(), Catch::Contains("data.bin"));
    }
  }
  SECTION("a file replaced by a symlink or cut short after the walk: named, never followed") {
    fs::remove(s.ctx() / ".dockerignore");
    s.write("data.bin", std::string(10000, 'x'));
    auto context = BuildContext::prepare({s.ctx().string(), "", std::nullopt});
    auto error = [&] {
      try {
        drain(context, 4096);
      } catch (const berth::Error& e) {
        return e.message();
      }
      return std::string("no error");
    };
    fs::remove(s.ctx() / "data.bin");
    fs::create_symlink("Dockerfile", s.ctx() / "data.bin");
    CHECK_THAT(error(), Catch::StartsWith("cannot read data.bin in the build context: "));
    fs::remove(s.ctx() / "data.bin");
    s.write("data.bin", "short");
    CHECK(error() == "data.bin in the build context shrank while it was being sent");
  }
}

TEST_CASE("build context: the archive read ahead is the same in any piece size and may be dropped half-way",
          "[exec][build_context]") {
  Scratch s;
  s.write("Dockerfile", "FROM scratch\n");
  for (int i = 0; i < 200; ++i) s.write("src/f" + std::to_string(i), std::string(3000 + i, char('a' + i % 26)));
  auto context = BuildContext::prepare({s.ctx().string(), "", std::nullopt});
  const std::string whole = drain(context, 1 << 20);
  CHECK(drain(context, 4096) == whole);
  CHECK(drain(context, 10000) == whole);
  auto entries = berth::test::read_tar(whole);
  CHECK(entries.size() == 202);  // Dockerfile, src/, 200 files

  // The sender gives up after one piece: the reader ahead stops, nothing hangs.
  {
    auto source = context.archive(4096);
    std::string chunk;
    CHECK(source(chunk));
    CHECK_FALSE(chunk.empty());
  }
  // Asked again after the last piece: nothing more.
  auto source = context.archive(1 << 20);
  std::string chunk;
  while (source(chunk)) {
  }
  CHECK_FALSE(source(chunk));
  CHECK(chunk.empty());
}
