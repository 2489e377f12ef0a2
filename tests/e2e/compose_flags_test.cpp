// End-to-end: the flags docker compose's reference lists on commands berth
// shares with it, and how exec/run read their command lines.
#include <catch2/catch.hpp>
#include <csignal>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

std::string sleeper(const std::string& name, const std::string& extra = "") {
  return "  " + name + ":\n    image: " + std::string(busybox_image()) +
         "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" + extra;
}

}  // namespace

TEST_CASE("exec and run take their options before the service, the command's after it",
          "[e2e][flags][exec][run]") {
  Stack stack("cmdline", "services:\n" + sleeper("app", "    user: root\n"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string out;
    std::string err_contains;
  };
  const std::vector<Case> cases = {
      {{"exec", "--bogus", "app", "echo"}, 1, "", "unknown flag: --bogus"},
      {{"run", "--rm", "--bogus", "app", "echo"}, 1, "", "unknown flag: --bogus"},
      {{"exec", "-T", "app", "echo", "--help", "-u", "x"}, 0, "--help -u x\n", ""},
      {{"run", "--rm", "-T", "app", "echo", "--rm", "-d"}, 0, "--rm -d\n", ""},
      {{"exec", "--no-tty", "-unobody", "app", "id", "-un"}, 0, "nobody\n", ""},
      {{"exec", "--no-TTY", "--user=nobody", "app", "id", "-un"}, 0, "nobody\n", ""},
      {{"run", "--rm", "--no-tty", "-q", "app", "echo", "quiet"}, 0, "quiet\n", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    auto r = stack.berth(c.args);
    INFO(r.err);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.out == c.out);
    CHECK(contains(r.err, c.err_contains));
  }
}

TEST_CASE("run --quiet prints nothing but the command's output, --remove-orphans removes orphans",
          "[e2e][flags][run]") {
  Stack stack("runquiet", "services:\n" + sleeper("app") + sleeper("old"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  stack.write("services:\n" + sleeper("app"));
  auto r = stack.berth({"run", "--rm", "-T", "-q", "app", "echo", "hi"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "hi\n");
  CHECK(r.err.empty());
  CHECK(stack.states().count(stack.container("old")) == 1);
  r = stack.berth({"run", "--rm", "-T", "--remove-orphans", "--quiet-build", "app", "true"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(stack.states().count(stack.container("old")) == 0);
}

TEST_CASE("ps --orphans=false hides containers of services the files no longer declare", "[e2e][flags][ps]") {
  Stack stack("psorphans", "services:\n" + sleeper("app") + sleeper("old"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  stack.write("services:\n" + sleeper("app"));
  auto with = stack.berth({"ps", "--format", "{{.Service}}"});
  CHECK(with.out == "app\nold\n");
  auto without = stack.berth({"ps", "--orphans=false", "--format", "{{.Service}}"});
  INFO(without.err);
  CHECK(without.exit_code == 0);
  CHECK(without.out == "app\n");
}

TEST_CASE("start --wait returns once the services are healthy", "[e2e][flags][start]") {
  Stack stack("startwait",
              "services:\n" +
                  sleeper("app", "    healthcheck:\n      test: [\"CMD\", \"test\", \"-f\", \"/tmp/ready\"]\n"
                                 "      interval: 1s\n") +
                  "    entrypoint: [\"sh\", \"-c\", \"rm -f /tmp/ready; (sleep 2; touch /tmp/ready) & exec \\\"$$@\\\"\", "
                  "\"-\"]\n");
  REQUIRE(stack.berth({"create"}).exit_code == 0);
  auto r = stack.berth({"start", "--wait", "--wait-timeout", "60"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  auto health = stack.engine().inspect_container(stack.container("app"))["State"]["Health"]["Status"];
  CHECK(health == "healthy");
  REQUIRE(stack.berth({"stop"}).exit_code == 0);
  r = stack.berth({"start", "--wait", "--wait-timeout", "1"});
  CHECK(r.exit_code != 0);
  CHECK(contains(r.err, "healthy"));
}

TEST_CASE("events --since and --until replay a window of past events and return", "[e2e][flags][events]") {
  Stack stack("eventswin", "services:\n" + sleeper("app"));
  auto since = std::to_string(std::time(nullptr) - 1);
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  REQUIRE(stack.berth({"restart", "-t", "0"}).exit_code == 0);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto until = std::to_string(std::time(nullptr));
  auto argv = stack.argv({"events", "--json", "--since", since, "--until", until});
  argv.insert(argv.begin(), {"/usr/bin/timeout", "20"});
  auto r = run_command(argv);
  INFO(r.err);
  CHECK(r.exit_code == 0);  // not 124: --until ends the stream
  CHECK(contains(r.out, "\"action\":\"create\""));
  CHECK(contains(r.out, "\"action\":\"restart\""));
}

TEST_CASE("attach forwards signals to the container unless --sig-proxy=false", "[e2e][flags][attach]") {
  Stack stack("sigproxy", "services:\n  talk:\n    image: " + std::string(busybox_image()) +
                              "\n    init: false\n    command: [\"sh\", \"-c\", \"trap 'exit 7' TERM; echo up; "
                              "while true; do sleep 0.2; done\"]\n");
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto wait_for_output = [](BackgroundRun& run) {
    for (int i = 0; i < 100 && !contains(run.out(), "up"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  };
  {
    BackgroundRun attach(stack.argv({"attach", "--no-stdin", "--sig-proxy=false", "talk"}),
                         stack.dir() / "noproxy");
    std::this_thread::sleep_for(std::chrono::seconds(1));
    attach.signal(SIGTERM);
    attach.wait();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(stack.states()[stack.container("talk")] == "running");
  }
  REQUIRE(stack.berth({"restart", "-t", "1"}).exit_code == 0);
  BackgroundRun attach(stack.argv({"attach", "--no-stdin", "talk"}), stack.dir() / "proxy");
  wait_for_output(attach);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  attach.signal(SIGTERM);
  CHECK(attach.wait() == 7);
  CHECK(stack.states()[stack.container("talk")] == "exited");
}

TEST_CASE("up --all-resources creates networks and volumes no service uses", "[e2e][flags][up]") {
  const std::string files = "services:\n" + sleeper("app") +
                            "networks:\n  spare_net: {}\nvolumes:\n  spare_vol: {}\n";
  Stack stack("allres", files);
  auto config = stack.berth({"config"});
  CHECK(!contains(config.out, "spare_net"));
  CHECK(!contains(config.out, "spare_vol"));
  config = stack.berth({"--all-resources", "config"});
  CHECK(contains(config.out, "spare_net"));
  CHECK(contains(config.out, "spare_vol"));

  REQUIRE(stack.berth({"up", "-d", "-y"}).exit_code == 0);
  CHECK(!stack.volume_exists(stack.project() + "_spare_vol"));
  CHECK(stack.networks().count(stack.project() + "_spare_net") == 0);
  auto r = stack.berth({"--all-resources", "up", "-d", "--quiet-build"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.err, "Volume " + stack.project() + "_spare_vol  Created"));
  CHECK(stack.volume_exists(stack.project() + "_spare_vol"));
  CHECK(stack.networks().count(stack.project() + "_spare_net") == 1);
  CHECK(stack.berth({"create", "-y"}).exit_code == 0);
}
