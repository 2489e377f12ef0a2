// End-to-end: large outputs stream in constant memory. 300 MB go through
// `cp` (out of and into a container), `logs`, `exec -T` and `run --rm -T`,
// and berth's peak resident set (GNU time's %M, which covers the shell and
// the counting `wc` too) must stay under 64 MB: the memory a command uses
// must not grow with what it moves. The assertion is on memory, not on time.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

constexpr long long kBytes = 300'000'000;
constexpr long kMaxKilobytes = 64 * 1024;

struct Measured {
  CommandResult result;
  long peak_kilobytes = -1;
};

// Runs `shell_command` under /usr/bin/time; the peak RSS of it and all it
// waited for.
Measured measure(const Stack& stack, const std::string& shell_command) {
  const auto report = stack.dir() / "peak-rss";
  Measured m;
  m.result = run_command({"/usr/bin/timeout", "600", "/usr/bin/time", "-f", "%M", "-o", report.string(), "sh", "-c",
                          shell_command});
  std::ifstream in(report);
  in >> m.peak_kilobytes;
  return m;
}

// The berth command line for `args`, quoted for sh.
std::string berth_line(const Stack& stack, const std::vector<std::string>& args) {
  std::string line;
  for (const auto& a : stack.argv(args)) line += (line.empty() ? "'" : " '") + a + "'";
  return line;
}

long long trimmed_number(const std::string& text) {
  try {
    return std::stoll(text);
  } catch (...) {
    return -1;
  }
}

}  // namespace

TEST_CASE("300 MB through cp, logs, exec and run in constant memory", "[e2e][streams][memory]") {
  // `big` writes a 300 MB file, then prints 300 MB of 4000-byte lines.
  Stack stack("bigstreams",
              "services:\n"
              "  big:\n"
              "    image: " +
                  std::string(busybox_image()) +
                  "\n"
                  "    command: [\"sh\", \"-c\", \"head -c " +
                  std::to_string(kBytes) +
                  " /dev/zero > /big && yes $$(head -c 3999 /dev/zero | tr '\\\\0' x) | head -c " +
                  std::to_string(kBytes) + " && touch /printed && exec sleep 3600\"]\n");
  auto up = stack.berth({"up", "-d"});
  REQUIRE(up.exit_code == 0);
  bool printed = false;
  for (int i = 0; i < 600 && !printed; ++i) {
    printed = stack.berth({"exec", "-T", "big", "test", "-e", "/printed"}).exit_code == 0;
    if (!printed) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  REQUIRE(printed);

  // One stack for all (sections would make the 600 MB again for each).
  {  // cp out of the container and back in
    const auto local = stack.dir() / "big";
    auto out = measure(stack, berth_line(stack, {"cp", "big:/big", local.string()}));
    INFO(out.result.err);
    CHECK(out.result.exit_code == 0);
    CHECK(std::filesystem::file_size(local) == static_cast<std::uintmax_t>(kBytes));
    CHECK(out.peak_kilobytes > 0);
    CHECK(out.peak_kilobytes < kMaxKilobytes);

    auto in = measure(stack, berth_line(stack, {"cp", local.string(), "big:/copied"}));
    INFO(in.result.err);
    CHECK(in.result.exit_code == 0);
    CHECK(in.peak_kilobytes > 0);
    CHECK(in.peak_kilobytes < kMaxKilobytes);
    auto size = stack.berth({"exec", "-T", "big", "stat", "-c", "%s", "/copied"});
    CHECK(trimmed_number(size.out) == kBytes);
  }
  {  // logs of 300 MB
    auto logs = measure(stack, berth_line(stack, {"logs", "--no-log-prefix", "big"}) + " | wc -c");
    INFO(logs.result.err);
    CHECK(logs.result.exit_code == 0);
    CHECK(trimmed_number(logs.result.out) == kBytes);
    CHECK(logs.peak_kilobytes > 0);
    CHECK(logs.peak_kilobytes < kMaxKilobytes);
  }
  {  // exec -T and run --rm -T with 300 MB on stdout
    const std::string print = "head -c " + std::to_string(kBytes) + " /dev/zero";
    auto exec = measure(stack, berth_line(stack, {"exec", "-T", "big", "sh", "-c", print}) + " | wc -c");
    INFO(exec.result.err);
    CHECK(exec.result.exit_code == 0);
    CHECK(trimmed_number(exec.result.out) == kBytes);
    CHECK(exec.peak_kilobytes < kMaxKilobytes);

    auto run = measure(stack, berth_line(stack, {"run", "--rm", "-T", "--no-deps", "big", "sh", "-c", print}) + " | wc -c");
    INFO(run.result.err);
    CHECK(run.result.exit_code == 0);
    CHECK(trimmed_number(run.result.out) == kBytes);
    CHECK(run.peak_kilobytes < kMaxKilobytes);
  }
}
