// post_start and pre_stop hooks against the real engine: they run as execs
// in the service's containers, in order, with their own user, working
// directory and environment, around start, stop, recreation, scale-down and
// down; a failing post_start fails `up` with its exit code and output.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

std::string hooked_service(const std::string& log_dir, const std::string& mode) {
  return std::string("services:\n") +
         "  app:\n    image: " + busybox_image() + "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" +
         "    user: \"1000:1000\"\n" +
         "    environment:\n      MODE: " + mode + "\n" +
         "    volumes: [\"" + log_dir + ":/log\"]\n" +
         "    post_start:\n" +
         "      - command: sh -c 'echo \"start1 $$(id -u) $$GREETING $$HOSTNAME\" >> /log/hooks; chmod 666 /log/hooks'\n" +
         "        user: root\n        environment: {GREETING: hello}\n" +
         "      - command: [\"sh\", \"-c\", \"echo start2 $$(id -u) $$PWD >> /log/hooks\"]\n" +
         "        working_dir: /tmp\n" +
         "    pre_stop:\n" +
         "      - command: sh -c 'echo stop $$HOSTNAME >> /log/hooks'\n";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("post_start and pre_stop hooks run in order, with their user, directory and environment",
          "[e2e][lifecycle][hooks]") {
  TempDir logs("hooks-log");
  ::chmod(logs.path.c_str(), 0777);
  const auto log = logs.path / "hooks";
  Stack stack("hooks", hooked_service(logs.path.string(), "one"));

  auto up = stack.berth({"up", "-d"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  const std::string id = stack.ids_by_service().at("app").front().substr(0, 12);
  CHECK(read_file(log) == "start1 0 hello " + id + "\nstart2 1000 /tmp\n");

  REQUIRE(stack.berth({"stop"}).exit_code == 0);
  CHECK(read_file(log) == "start1 0 hello " + id + "\nstart2 1000 /tmp\nstop " + id + "\n");

  // A stopped container's stop runs no hook: there is nothing to run it in.
  REQUIRE(stack.berth({"stop"}).exit_code == 0);
  REQUIRE(stack.berth({"start"}).exit_code == 0);
  CHECK(read_file(log) == "start1 0 hello " + id + "\nstart2 1000 /tmp\nstop " + id + "\nstart1 0 hello " + id +
                              "\nstart2 1000 /tmp\n");

  // Recreation stops the old container (its pre_stop) and starts the new one.
  std::ofstream(log, std::ios::trunc).flush();  // keeps the mode the first hook gave it
  stack.write(hooked_service(logs.path.string(), "two"));
  auto recreate = stack.berth({"up", "-d"});
  INFO(recreate.err);
  REQUIRE(recreate.exit_code == 0);
  const std::string new_id = stack.ids_by_service().at("app").front().substr(0, 12);
  REQUIRE(new_id != id);
  CHECK(read_file(log) == "stop " + id + "\nstart1 0 hello " + new_id + "\nstart2 1000 /tmp\n");

  // Scale-down stops the removed replica through its pre_stop.
  std::ofstream(log, std::ios::trunc).flush();  // keeps the mode the first hook gave it
  REQUIRE(stack.berth({"up", "-d", "--scale", "app=2"}).exit_code == 0);
  REQUIRE(stack.berth({"up", "-d", "--scale", "app=1"}).exit_code == 0);
  std::string scaled = read_file(log);
  CHECK(contains(scaled, "start1 0 hello"));
  CHECK(contains(scaled, "\nstop "));
  CHECK(!contains(scaled, "stop " + new_id));

  std::ofstream(log, std::ios::trunc).flush();  // keeps the mode the first hook gave it
  REQUIRE(stack.berth({"down"}).exit_code == 0);
  CHECK(read_file(log) == "stop " + new_id + "\n");
}

TEST_CASE("a failing post_start hook fails up with its exit code and output, a failing pre_stop is a warning",
          "[e2e][lifecycle][hooks]") {
  Stack stack("hooks-fail", std::string("services:\n") + "  app:\n    image: " + busybox_image() +
                                "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" +
                                "    post_start:\n      - command: sh -c 'echo preparing; echo broken >&2; exit 3'\n" +
                                "    pre_stop:\n      - command: [\"false\"]\n");
  auto up = stack.berth({"up", "-d"});
  INFO(up.err);
  CHECK(up.exit_code != 0);
  CHECK(contains(up.err, "post_start hook `sh -c echo preparing; echo broken >&2; exit 3` exited with status 3"));
  // Its output, stdout and stderr (two streams: their order is the engine's).
  CHECK(contains(up.err, "its last output:"));
  CHECK(contains(up.err, "preparing"));
  CHECK(contains(up.err, "broken"));
  // The hook's output is shown under its container as it runs.
  CHECK(contains(up.err, "Container " + stack.container("app") + " | preparing"));
  CHECK(stack.states()[stack.container("app")] == "running");

  auto down = stack.berth({"down"});
  INFO(down.err);
  CHECK(down.exit_code == 0);
  CHECK(contains(down.err, "pre_stop hook `false` exited with status 1"));
  CHECK(stack.containers().empty());
}

// Allowed, it gets past the policy. Whether the engine can run a privileged
// exec depends on the engine's own capabilities (this machine's dockerd lacks
// CAP_SYS_RESOURCE and refuses every one, `docker exec --privileged` too),
// so only the policy's part is checked.
TEST_CASE("a privileged hook is refused unless the service allows privileged", "[e2e][lifecycle][hooks]") {
  const std::string base = std::string("services:\n") + "  app:\n    image: " + busybox_image() +
                           "\n    command: [\"sleep\", \"3600\"]\n" +
                           "    post_start:\n      - command: [\"true\"]\n        privileged: true\n";
  Stack stack("hooks-priv", base);
  auto refused = stack.berth({"up", "-d"});
  INFO(refused.err);
  CHECK(refused.exit_code != 0);
  CHECK(contains(refused.err, "post_start"));
  CHECK(contains(refused.err, "privileged"));
  CHECK(stack.containers().empty());

  stack.write(base + "    x-berth: {allow: [privileged]}\n");
  auto allowed = stack.berth({"up", "-d"});
  INFO(allowed.err);
  CHECK(!contains(allowed.err, "refused by the standard security policy"));
  CHECK(stack.states()[stack.container("app")] == "running");
}
