// The normal build's side of the fuzz targets: each target's corpus replayed
// as a unit test (fuzz_target.h).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "fuzz_target.h"

namespace berth::fuzz {
namespace fs = std::filesystem;

namespace {

// Inputs above this are not replayed (the fuzzer's own -max_len is lower).
constexpr std::uintmax_t max_replayed_size = 1 << 20;

std::vector<fs::path> corpus_dirs(const std::string& target) {
  const fs::path root = BERTH_SOURCE_DIR;
  std::vector<fs::path> dirs = {root / "tests/fuzz/corpus" / target, root / "tests/data/fuzz" / target};
  std::ifstream seeds(root / "tests/fuzz/seeds.txt");
  std::string line;
  while (std::getline(seeds, line)) {
    std::istringstream words(line);
    std::string name, dir;
    if (!(words >> name) || name.starts_with("#") || name != target) continue;
    while (words >> dir) dirs.push_back(root / dir);
  }
  return dirs;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void replay_corpus(const std::string& target, const Body& body) {
  std::vector<fs::path> files;
  for (const auto& dir : corpus_dirs(target)) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file() && entry.file_size() <= max_replayed_size) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  // Every target has seeds: an empty corpus means a mistyped name.
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    INFO("input: " << file.string());
    auto input = read_file(file);
    CHECK_NOTHROW(body(input));
  }
}

}  // namespace berth::fuzz
