#pragma once
// Helpers for end-to-end tests: run the real berth binary (or any command)
// and capture what it printed and its exit code; make names no other test or
// user uses.
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

// The local base image made by scripts/setup.sh.
inline const char* busybox_image() { return "berth-local/busybox:latest"; }

}  // namespace berth::e2e
