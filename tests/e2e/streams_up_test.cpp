// End-to-end: attached `up` (no -d) and Ctrl-C/SIGTERM on the streaming
// commands (up, logs -f, run), against the real engine. Every berth run goes
// through `timeout`, so a hang fails the test instead of stopping it.
#include <catch2/catch.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

namespace {

std::vector<std::string> with_timeout(std::vector<std::string> argv, int seconds = 60) {
  argv.insert(argv.begin(), {"/usr/bin/timeout", std::to_string(seconds)});
  return argv;
}

// Polls `condition` for up to 30 s; the test's own timeout is the real bound.
std::string service(const std::string& name, const std::string& command, const std::string& extra = "") {
  return "  " + name + ":\n    image: " + busybox_image() + "\n    command: [\"sh\", \"-c\", \"" + command +
         "\"]\n    stop_grace_period: 2s\n" + extra;
}

}  // namespace

TEST_CASE("attached up streams the services' output and returns when they exited", "[e2e][streams][up]") {
  Stack stack("upattached", "services:\n" + service("hello", "echo hello; echo oops >&2") +
                                service("second", "sleep 1; echo second"));
  auto r = run_command(with_timeout(stack.argv({"up", "--no-color"})));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "Attaching to hello-1, second-1\n"));
  CHECK(contains(r.out, "hello-1   | hello\n"));
  CHECK(contains(r.out, "second-1  | second\n"));
  CHECK(contains(r.err, "hello-1   | oops\n"));
  CHECK(contains(r.out, "hello-1 exited with code 0\n"));
  CHECK(contains(r.out, "second-1 exited with code 0\n"));
  // Each line after the container's own output.
  CHECK(r.out.find("second-1  | second") < r.out.find("second-1 exited with code 0"));

  SECTION("--no-log-prefix, --attach and --no-attach") {
    r = run_command(with_timeout(stack.argv({"up", "--no-color", "--no-log-prefix", "--attach", "hello"})));
    INFO("out:\n" << r.out << "err:\n" << r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "Attaching to hello-1\nhello\nhello-1 exited with code 0\n"));
    CHECK(!contains(r.out, "second"));
    // That up returned once hello exited; second may still be running and
    // print before the next up begins (attached up shows output from its own
    // start on, as docker compose does): let it finish first.
    CHECK(stack.berth({"wait", "second"}).exit_code == 0);
    r = run_command(with_timeout(stack.argv({"up", "--no-color", "--no-attach", "hello"})));
    CHECK(r.exit_code == 0);
    CHECK(!contains(r.out, "hello"));
    CHECK(contains(r.out, "second-1  | second\n"));
  }
  SECTION("flags attached mode refuses") {
    r = stack.berth({"up", "-d", "--abort-on-container-exit"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "--abort-on-container-exit and --detach are incompatible"));
    r = stack.berth({"up", "--menu"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "--menu"));
    r = stack.berth({"up", "--exit-code-from", "nosuch"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "no such service: nosuch"));
  }
}

TEST_CASE("attached up aborts on container exit with its exit code", "[e2e][streams][up]") {
  // `keeper` ends with 5 when stopped, so --exit-code-from shows whose code it is.
  Stack stack("upabort", "services:\n" + service("fail", "echo bye; exit 3") +
                             service("keeper", "trap 'exit 5' TERM; echo ready; sleep 3600 & wait"));
  SECTION("--abort-on-container-exit: the first exit's code, everything stopped") {
    auto r = run_command(with_timeout(stack.argv({"up", "--no-color", "--abort-on-container-exit"})));
    INFO(r.out);
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(contains(r.out, "fail-1    | bye\n"));
    CHECK(contains(r.out, "fail-1 exited with code 3\n"));
    CHECK(contains(r.out, "Aborting on container exit...\n"));
    auto states = stack.states();
    CHECK(states[stack.container("keeper")] == "exited");
    CHECK(states[stack.container("fail")] == "exited");
  }
  SECTION("--exit-code-from another service: that service's code") {
    auto r = run_command(with_timeout(stack.argv({"up", "--no-color", "--exit-code-from", "keeper"})));
    INFO(r.out);
    INFO(r.err);
    CHECK(r.exit_code == 5);
    CHECK(contains(r.out, "Aborting on container exit...\n"));
    CHECK(stack.states()[stack.container("keeper")] == "exited");
  }
  SECTION("--abort-on-container-failure ignores a clean exit") {
    stack.write("services:\n" + service("ok", "exit 0") + service("late", "sleep 2; exit 4") +
                service("keeper", "trap 'exit 5' TERM; sleep 3600 & wait"));
    auto r = run_command(with_timeout(stack.argv({"up", "--no-color", "--abort-on-container-failure"})));
    INFO(r.out);
    INFO(r.err);
    CHECK(r.exit_code == 4);
    CHECK(contains(r.out, "ok-1 exited with code 0\n"));
    CHECK(contains(r.out, "late-1 exited with code 4\n"));
    CHECK(stack.states()[stack.container("keeper")] == "exited");
  }
}

TEST_CASE("attached up with nothing attached waits for the project's containers", "[e2e][streams][up]") {
  // As docker compose: with no service attached, up watches every service
  // of the project and returns once all of them exited.
  Stack stack("upnone", "services:\n" + service("quick", "echo quick; exit 0") + service("slow", "sleep 3; echo slow; exit 2"));
  auto r = run_command(with_timeout(stack.argv({"up", "--no-color", "--no-attach", "quick", "--no-attach", "slow"})));
  INFO(r.out);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(!contains(r.out, "Attaching to"));
  CHECK(!contains(r.out, "| "));  // no output of either
  CHECK(contains(r.out, "quick-1 exited with code 0\n"));
  CHECK(contains(r.out, "slow-1 exited with code 2\n"));
  CHECK(stack.states()[stack.container("slow")] == "exited");  // it did not return before slow ended

  SECTION("until Ctrl-C when they keep running") {
    stack.write("services:\n" + service("server", "echo serving; exec sleep 3600"));
    BackgroundRun up(with_timeout(stack.argv({"up", "--no-color", "--no-attach", "server"})), stack.dir() / "up");
    REQUIRE(eventually([&] { return stack.states()[stack.container("server")] == "running"; }));
    std::this_thread::sleep_for(std::chrono::seconds(2));
    CHECK(stack.states()[stack.container("server")] == "running");
    up.signal(SIGINT);
    CHECK(up.wait() == 130);
    INFO(up.out());
    CHECK(!contains(up.out(), "serving"));
    CHECK(stack.states()[stack.container("server")] == "exited");
  }
}

TEST_CASE("attached up --exit-code-from a service that is not watched", "[e2e][streams][up]") {
  // `keeper` would end with 5 when stopped: docker compose never sees that
  // exit when keeper is not watched, so the code is the first exit's.
  Stack stack("upexitfrom", "services:\n" + service("fail", "sleep 1; echo bye; exit 3") +
                                service("keeper", "trap 'exit 5' TERM; sleep 3600 & wait"));
  SECTION("not attached") {
    auto r = run_command(with_timeout(stack.argv({"up", "--no-color", "--no-attach", "keeper", "--exit-code-from", "keeper"})));
    INFO(r.out);
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(contains(r.out, "Attaching to fail-1\n"));
    CHECK(contains(r.out, "Aborting on container exit...\n"));
    CHECK(stack.states()[stack.container("keeper")] == "exited");
  }
  SECTION("not among the services named") {
    auto r = run_command(with_timeout(stack.argv({"up", "--no-color", "fail", "--exit-code-from", "keeper"})));
    INFO(r.out);
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(contains(r.out, "fail-1 exited with code 3\n"));
  }
  SECTION("outside the project --no-deps narrows to") {
    auto r = stack.berth({"up", "--no-deps", "fail", "--exit-code-from", "keeper"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "no such service: keeper"));
    CHECK(stack.states().empty());  // refused before anything was made
  }
}

TEST_CASE("SIGINT to attached up stops the project's containers and exits 130", "[e2e][streams][up][signals]") {
  Stack stack("upint", "services:\n" + service("a", "echo a-up; exec sleep 3600") +
                           service("b", "echo b-up; exec sleep 3600"));
  BackgroundRun up(with_timeout(stack.argv({"up", "--no-color"})), stack.dir() / "up");
  REQUIRE(eventually([&] { return contains(up.out(), "a-1  | a-up") && contains(up.out(), "b-1  | b-up"); }));
  up.signal(SIGINT);
  const int code = up.wait();
  INFO(up.out());
  INFO(up.err());
  CHECK(code == 130);
  CHECK(contains(up.err(), "Gracefully stopping... (press Ctrl+C again to force)"));
  auto states = stack.states();
  CHECK(states.size() == 2);  // stopped, not removed
  CHECK(states[stack.container("a")] == "exited");
  CHECK(states[stack.container("b")] == "exited");
}

TEST_CASE("logs -f ends quietly on SIGINT and when its container is removed", "[e2e][streams][logs][signals]") {
  Stack stack("logsint", "services:\n" + service("tick", "echo started; exec sleep 3600"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);

  SECTION("SIGINT: exit 0, what arrived printed, no error") {
    BackgroundRun follow(with_timeout(stack.argv({"logs", "-f", "--no-color"})), stack.dir() / "follow");
    REQUIRE(eventually([&] { return contains(follow.out(), "tick-1  | started\n"); }));
    follow.signal(SIGINT);
    CHECK(follow.wait() == 0);
    CHECK(follow.out() == "tick-1  | started\n");
    CHECK(follow.err().empty());
  }
  SECTION("a second signal on the way out (a process group's, timeout's) changes nothing") {
    BackgroundRun follow(stack.argv({"logs", "-f", "--no-color"}), stack.dir() / "follow");
    REQUIRE(eventually([&] { return contains(follow.out(), "tick-1  | started\n"); }));
    follow.signal(SIGINT);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    follow.signal(SIGINT);
    CHECK(follow.wait() == 0);
    CHECK(follow.err().empty());
  }
  SECTION("the engine ends the stream: the container is force-removed while followed") {
    BackgroundRun follow(with_timeout(stack.argv({"logs", "-f", "--no-color"})), stack.dir() / "follow");
    REQUIRE(eventually([&] { return contains(follow.out(), "tick-1  | started\n"); }));
    stack.engine().remove_container(stack.container("tick"), {.force = true, .volumes = true});
    CHECK(follow.wait() == 0);  // 124 would be the timeout: a hang
    CHECK(follow.out() == "tick-1  | started\n");
  }
}

TEST_CASE("run forwards SIGTERM to its container and returns its exit code", "[e2e][streams][run][signals]") {
  Stack stack("runterm", "services:\n" + service("job", "echo default"));
  BackgroundRun run(with_timeout(stack.argv({"run", "--rm", "-T", "job", "sh", "-c",
                                             "trap 'echo got TERM; exit 7' TERM; echo ready; sleep 3600 & wait"})),
                    stack.dir() / "run");
  REQUIRE(eventually([&] { return contains(run.out(), "ready\n"); }));
  run.signal(SIGTERM);
  const int code = run.wait();
  INFO(run.err());
  CHECK(code == 7);
  CHECK(run.out() == "ready\ngot TERM\n");
  CHECK(stack.containers().empty());  // --rm
}
