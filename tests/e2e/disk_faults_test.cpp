// Fault injection on the local disk: the parse cache on a full filesystem
// and on a read-only one, and cp's stdin spool on a full one (small tmpfs
// mounts; the test is skipped, saying so, where mounting is not allowed).
// berth must give the same results as without a cache, or a clear error
// naming the cause: never a crash, a hang, or a corrupt cache entry.
#include <sys/mount.h>

#include <catch2/catch.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
namespace fs = std::filesystem;

namespace {

// A tmpfs of `size` mounted on a fresh directory, unmounted at the end.
class SmallTmpfs {
 public:
  explicit SmallTmpfs(const std::string& size) : dir_(fs::temp_directory_path() / unique_name("tmpfs")) {
    fs::create_directories(dir_);
    mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, ("size=" + size + ",mode=0700").c_str()) == 0;
  }
  ~SmallTmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  bool mounted() const { return mounted_; }
  const fs::path& dir() const { return dir_; }
  // Writes until the filesystem is full.
  void fill() const {
    std::ofstream out(dir_ / "filler", std::ios::binary);
    std::string block(4096, 'x');
    while (out.write(block.data(), block.size())) {
    }
  }
  bool remount_read_only() const {
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

// Large enough to be cached (8 KiB and more).
std::string large_compose() {
  std::string compose = "services:\n";
  for (int i = 0; i < 150; ++i)
    compose += "  svc" + std::to_string(i) + ":\n    image: busybox:" + std::to_string(i) + "\n    environment: {A: '1'}\n";
  return compose;
}

}  // namespace

TEST_CASE("a full or read-only parse cache changes nothing but speed", "[e2e][faults][disk]") {
  SmallTmpfs tmpfs("64k");
  if (!tmpfs.mounted()) {
    WARN("cannot mount a tmpfs here (not root?): skipped");
    return;
  }
  TempDir project("diskcache");
  project.write("compose.yaml", large_compose());
  const std::vector<std::string> args = {"-f", (project.path / "compose.yaml").string(), "config"};
  auto reference = run_berth(args, "", {"BERTH_NO_CACHE=1"});
  REQUIRE(reference.exit_code == 0);

  const auto cache = (tmpfs.dir() / "cache").string();
  fs::create_directories(tmpfs.dir() / "cache");
  tmpfs.fill();
  for (int run = 0; run < 2; ++run) {
    auto full = run_berth(args, "", {"BERTH_CACHE_DIR=" + cache});
    INFO(full.err);
    CHECK(full.exit_code == 0);
    CHECK(full.out == reference.out);
  }
  // Nothing half-written is left in the cache.
  if (fs::exists(tmpfs.dir() / "cache/yaml"))
    for (const auto& entry : fs::directory_iterator(tmpfs.dir() / "cache/yaml")) FAIL("left in the cache: " << entry.path());

  // Room again: an entry is written; then the filesystem turns read-only.
  fs::remove(tmpfs.dir() / "filler");
  REQUIRE(run_berth(args, "", {"BERTH_CACHE_DIR=" + cache}).exit_code == 0);
  REQUIRE(tmpfs.remount_read_only());
  auto read_only_hit = run_berth(args, "", {"BERTH_CACHE_DIR=" + cache});
  CHECK(read_only_hit.exit_code == 0);
  CHECK(read_only_hit.out == reference.out);
  project.write("compose.yaml", large_compose() + "  late: {image: busybox}\n");  // a miss: cannot be stored
  auto read_only_miss = run_berth({"-f", (project.path / "compose.yaml").string(), "config", "--services"}, "",
                                  {"BERTH_CACHE_DIR=" + cache});
  INFO(read_only_miss.err);
  CHECK(read_only_miss.exit_code == 0);
  CHECK(contains(read_only_miss.out, "late\n"));
}

TEST_CASE("cp from stdin to several replicas with a full spool directory is a clear error", "[e2e][faults][disk]") {
  SmallTmpfs tmpfs("64k");
  if (!tmpfs.mounted()) {
    WARN("cannot mount a tmpfs here (not root?): skipped");
    return;
  }
  Stack stack("diskspool", "services:\n  web:\n    image: " + std::string(busybox_image()) +
                               "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n    scale: 2\n");
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  tmpfs.fill();
  // A tar of 256 KiB: more than the spool can hold.
  TempDir source("spool-src");
  source.write("big.bin", std::string(256 * 1024, 'b'));
  auto tar = run_command({"tar", "-C", source.path.string(), "-cf", "-", "big.bin"});
  REQUIRE(tar.exit_code == 0);
  auto argv = stack.argv({"cp", "-", "web:/tmp/"});
  argv.insert(argv.begin(), {"/usr/bin/env", "TMPDIR=" + tmpfs.dir().string(), "/usr/bin/timeout", "-s", "KILL", "60"});
  auto copy = run_command(argv, tar.out);
  INFO(copy.err);
  CHECK(copy.exit_code == 1);
  CHECK(contains(copy.err, "cannot write a temporary file: No space left on device"));
  // Nothing reached either replica.
  for (int n : {1, 2}) {
    auto listed = run_command({"docker", "exec", stack.container("web", n), "ls", "/tmp"});
    CHECK_FALSE(contains(listed.out, "big.bin"));
  }
  // With room, the same copy reaches both.
  auto fine = run_command(stack.argv({"cp", "-", "web:/tmp/"}), tar.out);
  INFO(fine.err);
  CHECK(fine.exit_code == 0);
}
