// The README's main command brings up examples/hello: this test does the same
// under a unique project name and port, and checks the page is served.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace berth::e2e;

namespace {

struct HelloStack {
  std::string project = unique_name("hello");
  std::string port = std::to_string(20000 + getpid() % 20000);
  std::string file = std::string(BERTH_SOURCE_DIR) + "/examples/hello/compose.yaml";

  CommandResult berth(const std::vector<std::string>& args) const {
    std::vector<std::string> full = {"-f", file, "-p", project, "--progress", "plain"};
    full.insert(full.end(), args.begin(), args.end());
    return run_berth(full, "", {"HELLO_PORT=" + port});
  }
  ~HelloStack() { berth({"down", "-v", "-t", "0"}); }
};

}  // namespace

TEST_CASE("examples/hello comes up healthy, serves its page and goes down") {
  HelloStack stack;
  auto up = stack.berth({"up", "-d", "--wait"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);

  auto page = run_command({"curl", "-sf", "--max-time", "5", "http://127.0.0.1:" + stack.port + "/"});
  CHECK(page.exit_code == 0);
  CHECK(page.out.find("Hello from berth") != std::string::npos);

  auto ps = stack.berth({"ps", "--format", "json"});
  CHECK(ps.exit_code == 0);
  CHECK(ps.out.find("healthy") != std::string::npos);

  auto down = stack.berth({"down", "-v", "-t", "0"});
  CHECK(down.exit_code == 0);
  auto volumes = run_command({"docker", "volume", "ls", "-q", "--filter", "name=" + stack.project});
  CHECK(volumes.out.empty());
}
