// The whole loader on a project directory made of the input: compose.yaml,
// compose.override.yaml and .env, separated by "#~~~" lines (an input with
// none is a compose.yaml alone, so compose files are seeds as they are).
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"
#include "fuzz_target.h"

namespace {

namespace fs = std::filesystem;

// One directory per process, removed when the process ends (the replay in
// the unit tests must leave nothing behind).
struct ProjectDir {
  fs::path path = fs::temp_directory_path() / ("berth-fuzz-loader-" + std::to_string(getpid()));
  ProjectDir() { fs::create_directories(path); }
  ~ProjectDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

const fs::path& project_dir() {
  static const ProjectDir dir;
  return dir.path;
}

void write_or_remove(const fs::path& path, const std::string& content, bool present) {
  if (!present) {
    fs::remove(path);
    return;
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

}  // namespace

BERTH_FUZZ_TARGET(loader) {
  auto parts = berth::fuzz::split_parts(input, 3);
  const auto& dir = project_dir();
  write_or_remove(dir / "compose.yaml", parts[0], true);
  write_or_remove(dir / "compose.override.yaml", parts[1], !parts[1].empty());
  write_or_remove(dir / ".env", parts[2], !parts[2].empty());
  berth::loader::ProjectOptions options;
  options.working_dir = dir.string();
  options.project_name = "fuzz";
  berth::loader::Diagnostics diagnostics;
  berth::fuzz::fuzz_guard([&] { berth::loader::load(options, diagnostics); });
}
