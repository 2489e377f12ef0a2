#pragma once
// Loads a compose file written inline, through the real loader (so source
// positions are known), for the policy tests.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"
#include "berth/model/project.h"

namespace berth::policy::testing {

inline model::Project load_text(const std::string& yaml) {
  static std::atomic<int> counter{0};
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("berth-policy-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  std::ofstream(dir / "compose.yaml") << yaml;
  loader::ProjectOptions options;
  options.working_dir = dir.string();
  options.files.push_back((dir / "compose.yaml").string());
  options.project_name = "t";
  loader::Diagnostics diagnostics;
  try {
    auto project = loader::load(options, diagnostics);
    fs::remove_all(dir);
    return project;
  } catch (...) {
    fs::remove_all(dir);
    throw;
  }
}

}  // namespace berth::policy::testing
