// The inotify watcher on a real temporary directory: edits, new nested
// directories (and what they already hold), deletions, moves, a watched
// single file saved by rename, and excluded directories left unwatched.
#include <poll.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "service/file_watcher.h"

using berth::service::FileWatcher;
namespace fs = std::filesystem;

namespace {

struct TempTree {
  fs::path root;
  TempTree() : root(fs::temp_directory_path() / ("berth-watch-" + std::to_string(::getpid()) + "-" + std::to_string(rand()))) {
    fs::create_directories(root);
  }
  ~TempTree() { fs::remove_all(root); }
  void write(const std::string& relative, const std::string& text) const {
    fs::create_directories((root / relative).parent_path());
    std::ofstream(root / relative, std::ios::trunc) << text;
  }
  std::string path(const std::string& relative) const { return (root / relative).string(); }
};

// What the watcher reports within `ms` of quiet.
std::set<std::string> drain(FileWatcher& watcher, int ms = 100) {
  FileWatcher::Changes changes;
  struct pollfd p {watcher.fd(), POLLIN, 0};
  while (::poll(&p, 1, ms) > 0) watcher.read(changes);
  return changes.paths;
}

}  // namespace

TEST_CASE("the file watcher reports edits, new directories with their files, deletions and moves", "[watch]") {
  TempTree tree;
  tree.write("a.txt", "1");
  tree.write("skip/x.txt", "1");
  FileWatcher watcher;
  watcher.add(tree.root.string(), [&](const std::string& dir) { return dir != tree.path("skip"); });

  tree.write("a.txt", "2");
  CHECK(drain(watcher) == std::set<std::string>{tree.path("a.txt")});

  // A directory tree made at once (mkdir -p then a file): the file is seen
  // even when it was written before the new directory's watch existed.
  fs::create_directories(tree.root / "new/deep");
  tree.write("new/deep/f.py", "x");
  auto created = drain(watcher);
  CHECK(created.count(tree.path("new")));
  CHECK(created.count(tree.path("new/deep/f.py")));

  // Later writes in the new directory are watched too.
  tree.write("new/deep/g.py", "y");
  CHECK(drain(watcher) == std::set<std::string>{tree.path("new/deep/g.py")});

  fs::rename(tree.root / "a.txt", tree.root / "b.txt");
  CHECK(drain(watcher) == std::set<std::string>{tree.path("a.txt"), tree.path("b.txt")});
  fs::remove(tree.root / "b.txt");
  CHECK(drain(watcher) == std::set<std::string>{tree.path("b.txt")});

  // A directory moved away stops reporting under its old name.
  const fs::path away = tree.root.string() + "-moved-away";
  fs::rename(tree.root / "new", away);
  CHECK(drain(watcher) == std::set<std::string>{tree.path("new")});
  std::ofstream(away / "deep/h.py") << "z";
  CHECK(drain(watcher).empty());
  fs::remove_all(away);

  // The excluded directory is not watched.
  tree.write("skip/x.txt", "2");
  CHECK(drain(watcher).empty());

  auto everything = watcher.scan();
  CHECK(!everything.count(tree.path("skip/x.txt")));
  CHECK(!everything.count(tree.path("skip")));
}

TEST_CASE("a watched file is seen when an editor saves it by rename, its neighbours are not", "[watch]") {
  TempTree tree;
  tree.write("requirements.txt", "a");
  tree.write("other.txt", "a");
  FileWatcher watcher;
  watcher.add(tree.path("requirements.txt"), {});
  tree.write(".requirements.txt.tmp", "b");
  fs::rename(tree.root / ".requirements.txt.tmp", tree.root / "requirements.txt");
  tree.write("other.txt", "b");
  CHECK(drain(watcher) == std::set<std::string>{tree.path("requirements.txt")});
  CHECK(watcher.scan() == std::set<std::string>{tree.path("requirements.txt")});
}
