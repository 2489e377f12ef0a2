#pragma once
// Helpers for end-to-end tests: run the real berth binary (or any command)
// and capture what it printed and its exit code; make names no other test or
// user uses.
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace berth::e2e {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] with the given arguments, stdin from `input`, no shell.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = "",
                          const std::vector<std::string>& extra_env = {});

// Runs the berth binary under test.
CommandResult run_berth(const std::vector<std::string>& args, const std::string& input = "",
                        const std::vector<std::string>& extra_env = {});

// A name unique to this test run, e.g. "berth-e2e-4711-3-web": safe as a
// project, container, network or volume name.
std::string unique_name(const std::string& hint);

// Runs `action` when the test ends, passed or failed; cleanup errors are not
// the test's subject.
class Cleanup {
 public:
  explicit Cleanup(std::function<void()> action) : action_(std::move(action)) {}
  ~Cleanup() {
    try {
      action_();
    } catch (...) {
    }
  }
  Cleanup(const Cleanup&) = delete;
  Cleanup& operator=(const Cleanup&) = delete;

 private:
  std::function<void()> action_;
};

// A scratch directory of its own under the temporary directory, removed
// with everything in it when the test ends.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& hint = "dir") : path(std::filesystem::temp_directory_path() / unique_name(hint)) {
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `content` to `relative`, making its directories.
  void write(const std::string& relative, const std::string& content) const {
    std::filesystem::create_directories((path / relative).parent_path());
    std::ofstream(path / relative, std::ios::trunc) << content;
  }
};

// The local base image made by scripts/setup.sh.
inline const char* busybox_image() { return "berth-local/busybox:latest"; }

}  // namespace berth::e2e
