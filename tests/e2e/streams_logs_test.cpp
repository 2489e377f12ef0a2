// End-to-end: `berth logs` against the real engine, comparing bytes.
#include <catch2/catch.hpp>
#include <regex>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

// `out` prints known text, a 100 000-byte line, control bytes and UTF-8 (the
// engine's json-file driver itself replaces invalid UTF-8), and
// a line on stderr, then exits; `longer-name` prints one line. The engine
// copies stdout and stderr into its log in two goroutines, so the pause
// after the stderr line keeps it before the last stdout lines in the log
// (which `--tail` counts from) however busy the machine is.
std::string printing_services() {
  return std::string("services:\n") +
         "  out:\n    image: " + busybox_image() + "\n" +
         "    command: [\"sh\", \"-c\", \"echo alpha; echo err-line >&2; sleep 1; head -c 100000 /dev/zero | tr '\\\\0' x; "
         "echo; printf '\\\\001\\\\002\\\\303\\\\251\\\\033 end\\\\n'; printf 'no newline'\"]\n" +
         "  longer-name:\n    image: " + busybox_image() + "\n" +
         "    command: [\"echo\", \"beta\"]\n";
}

std::string expected_out_stdout(const std::string& prefix) {
  return prefix + "alpha\n" + prefix + std::string(100000, 'x') + "\n" + prefix + "\x01\x02\xc3\xa9\x1b end\n" + prefix +
         "no newline\n";
}

}  // namespace

TEST_CASE("logs prints every byte of a container with the compose prefix", "[e2e][streams][logs]") {
  Stack stack("logs", printing_services());
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  REQUIRE(stack.berth({"wait", "out"}).exit_code == 0);
  REQUIRE(stack.berth({"wait", "longer-name"}).exit_code == 0);

  SECTION("one service: stdout and stderr apart, long and binary lines intact") {
    auto r = stack.berth({"logs", "--no-color", "out"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == expected_out_stdout("out-1  | "));
    CHECK(r.err == "out-1  | err-line\n");
  }
  SECTION("prefix padded to the widest container name") {
    auto r = stack.berth({"logs", "--no-color"});
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "longer-name-1  | beta\n"));
    CHECK(contains(r.out, "out-1          | alpha\n"));
  }
  SECTION("--no-log-prefix, --tail, --index") {
    struct Case {
      std::vector<std::string> args;
      std::string out;
      int exit_code;
    };
    const std::vector<Case> cases = {
        {{"logs", "--no-log-prefix", "longer-name"}, "beta\n", 0},
        {{"logs", "--no-color", "-n", "1", "out"}, "out-1  | no newline\n", 0},
        {{"logs", "--no-color", "--tail=2", "out"}, "out-1  | \x01\x02\xc3\xa9\x1b end\nout-1  | no newline\n", 0},
        {{"logs", "--no-color", "--index", "1", "longer-name"}, "longer-name-1  | beta\n", 0},
        {{"logs", "--no-color", "--index", "2", "longer-name"}, "", 1},
        {{"logs", "--no-color", "--since", "1h", "longer-name"}, "longer-name-1  | beta\n", 0},
        {{"logs", "--no-color", "--until", "2000-01-01T00:00:00Z", "longer-name"}, "", 0},
        {{"logs", "--tail", "x"}, "", 1},
    };
    for (const auto& c : cases) {
      CAPTURE(c.args);
      auto r = stack.berth(c.args);
      INFO(r.err);
      CHECK(r.exit_code == c.exit_code);
      CHECK(r.out == c.out);
    }
  }
  SECTION("colours with --ansi always, timestamps with -t") {
    auto r = stack.berth({"--ansi", "always", "logs", "longer-name"});
    CHECK(r.out == "\033[36mlonger-name-1  | \033[0mbeta\n");
    r = stack.berth({"logs", "--no-color", "-t", "longer-name"});
    CHECK(std::regex_match(r.out, std::regex(R"(longer-name-1  \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z beta\n)")));
  }
}

TEST_CASE("logs -f follows a restart and ends when every container stopped", "[e2e][streams][logs]") {
  Stack stack("logsf", "services:\n  tick:\n    image: " + std::string(busybox_image()) +
                           "\n    command: [\"sh\", \"-c\", \"echo started; exec sleep 3600\"]\n"
                           "    stop_grace_period: 1s\n");
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  // `timeout` turns a hang into exit code 124 instead of a stuck test.
  auto argv = stack.argv({"logs", "-f", "--no-color"});
  argv.insert(argv.begin(), {"/usr/bin/timeout", "20"});
  BackgroundRun follow(argv, stack.dir() / "follow");
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  REQUIRE(stack.berth({"restart", "-t", "0"}).exit_code == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  REQUIRE(stack.berth({"stop", "-t", "0"}).exit_code == 0);
  int code = follow.wait();
  INFO(follow.err());
  CHECK(code == 0);
  CHECK(follow.out() == "tick-1  | started\ntick-1  | started\n");
}
