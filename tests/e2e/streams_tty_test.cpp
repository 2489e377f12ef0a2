// End-to-end: an interactive `berth exec` in a real terminal (tmux): keys
// typed reach the container's shell, the window size is sent at start and on
// resize, and the exit code comes back.
#include <catch2/catch.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

class Tmux {
 public:
  Tmux(const std::string& socket, const std::string& command) : socket_(socket) {
    run({"new-session", "-d", "-s", "t", "-x", "80", "-y", "24", command});
  }
  ~Tmux() { run({"kill-server"}); }
  CommandResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"/usr/bin/tmux", "-L", socket_});
    return run_command(args);
  }
  void keys(const std::string& text) const { run({"send-keys", "-t", "t", text, "Enter"}); }
  std::string pane() const { return run({"capture-pane", "-p", "-t", "t"}).out; }
  // Waits up to ~10 s for `text` on the screen.
  bool shows(const std::string& text) const {
    for (int i = 0; i < 100; ++i) {
      if (contains(pane(), text)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

 private:
  std::string socket_;
};

}  // namespace

TEST_CASE("exec is interactive in a terminal: keys, window size, resize, exit code", "[e2e][streams][exec][tty]") {
  if (::access("/usr/bin/tmux", X_OK) != 0) {
    WARN("tmux is not installed: skipped");
    return;
  }
  Stack stack("tty", sleeping_services(1));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  std::string command;
  for (const auto& a : stack.argv({"exec", "s0", "sh"})) command += "'" + a + "' ";
  command += "; echo \"berth-exit=$?\"; sleep 30";
  Tmux tmux(stack.project(), command);

  tmux.keys("stty size; echo typed-$((40+2))");
  CHECK(tmux.shows("typed-42"));
  auto pane_size = [&] {
    auto size = tmux.run({"display-message", "-p", "-t", "t", "#{pane_height} #{pane_width}"}).out;
    return size.substr(0, size.find('\n'));
  };
  CHECK(tmux.shows(pane_size()));
  tmux.run({"resize-window", "-t", "t", "-x", "100", "-y", "30"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  tmux.keys("stty size");
  CHECK(pane_size() != "");
  CHECK(contains(pane_size(), " 100"));
  CHECK(tmux.shows(pane_size()));
  tmux.keys("exit 5");
  CHECK(tmux.shows("berth-exit=5"));
  INFO(tmux.pane());
}
