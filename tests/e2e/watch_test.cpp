// `berth watch` against the real engine: files edited, created, deleted and
// renamed on the host arrive in the running container (content and owner
// checked there), ignored ones do not, a burst of saves is one sync, a
// dependency file rebuilds and recreates its service alone, and
// sync+restart, sync+exec and initial_sync do what compose's develop
// section says.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::trunc) << text;
}

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// `berth watch` in the background, stopped with SIGINT when the test ends.
class Watching {
 public:
  Watching(const Stack& stack, const std::vector<std::string>& args = {})
      : run_(with_timeout(stack.argv(with_watch(args))), stack.dir() / "watch") {
    ready_ = eventually([&] { return contains(run_.err(), "Watch enabled") || exited(); });
  }
  ~Watching() { stop(); }
  bool ready() const { return ready_ && contains(run_.err(), "Watch enabled"); }
  std::string err() const { return run_.err(); }
  int stop() {
    run_.signal(SIGINT);
    return run_.wait();
  }

 private:
  static std::vector<std::string> with_watch(std::vector<std::string> args) {
    args.insert(args.begin(), "watch");
    return args;
  }
  static std::vector<std::string> with_timeout(std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"/usr/bin/timeout", "240"});
    return argv;
  }
  bool exited() const { return contains(run_.err(), "berth:"); }
  BackgroundRun run_;
  bool ready_ = false;
};

// The image `up` builds for a service, removed when the test ends.
struct BuiltImage {
  Stack& stack;
  std::string name;
  BuiltImage(Stack& s, const std::string& service) : stack(s), name(s.project() + "-" + service) {}
  ~BuiltImage() {
    try {
      stack.berth({"down", "-v", "-t", "0"});  // the container first: its image is then unused
      stack.engine().remove_image(name, {.force = true});
    } catch (...) {
    }
  }
};

std::string in_container(const Stack& stack, const std::string& service, const std::string& script) {
  auto r = stack.berth({"exec", "-T", service, "sh", "-c", script});
  return r.exit_code == 0 ? r.out : "<exit " + std::to_string(r.exit_code) + ">" + r.err;
}

}  // namespace

TEST_CASE("watch syncs edits, new directories, deletions and renames with the container user's ownership",
          "[e2e][watch]") {
  Stack stack("watch-sync", std::string("services:\n") + "  web:\n    build: .\n    user: \"1000:1000\"\n" +
                                "    stop_grace_period: 1s\n    develop:\n      watch:\n" +
                                "        - action: sync\n          path: ./app\n          target: /app\n" +
                                "          ignore: [\"*.bak\", \"cache/\"]\n");
  write_file(stack.dir() / "Dockerfile",
             std::string("FROM ") + busybox_image() + "\nCOPY app /app\nCMD [\"sleep\", \"3600\"]\n");
  write_file(stack.dir() / "app/main.py", "v1\n");
  write_file(stack.dir() / "app/sub/a.txt", "a\n");
  write_file(stack.dir() / ".dockerignore", "app/secret.env\n");
  BuiltImage image(stack, "web");

  Watching watch(stack);
  INFO(watch.err());
  REQUIRE(watch.ready());
  CHECK(in_container(stack, "web", "cat /app/main.py") == "v1\n");

  write_file(stack.dir() / "app/main.py", "v2\n");
  CHECK(eventually([&] { return in_container(stack, "web", "cat /app/main.py") == "v2\n"; }));
  CHECK(in_container(stack, "web", "stat -c %u:%g /app/main.py") == "1000:1000\n");

  write_file(stack.dir() / "app/new/deep/f.py", "new\n");
  CHECK(eventually([&] { return in_container(stack, "web", "cat /app/new/deep/f.py") == "new\n"; }));
  CHECK(in_container(stack, "web", "stat -c %u:%g /app/new /app/new/deep/f.py") == "1000:1000\n1000:1000\n");

  fs::remove(stack.dir() / "app/sub/a.txt");
  CHECK(eventually([&] { return in_container(stack, "web", "test -e /app/sub/a.txt && echo there || echo gone") == "gone\n"; }));

  fs::rename(stack.dir() / "app/main.py", stack.dir() / "app/renamed.py");
  CHECK(eventually([&] {
    return in_container(stack, "web", "cat /app/renamed.py; test -e /app/main.py && echo there || echo gone") ==
           "v2\ngone\n";
  }));

  // Ignored by the rule, by .dockerignore, or editor noise: never synced. The
  // sentinel written after them proves their events were seen and dropped.
  write_file(stack.dir() / "app/x.bak", "bak\n");
  write_file(stack.dir() / "app/cache/c.txt", "cache\n");
  write_file(stack.dir() / "app/secret.env", "TOKEN=1\n");
  write_file(stack.dir() / "app/.renamed.py.swp", "swap\n");
  write_file(stack.dir() / "app/.git/HEAD", "ref\n");
  write_file(stack.dir() / "app/sentinel", "s\n");
  CHECK(eventually([&] { return in_container(stack, "web", "cat /app/sentinel") == "s\n"; }));
  CHECK(in_container(stack, "web", "ls -a /app | sort | tr '\\n' ' '") == ". .. new renamed.py sentinel sub ");

  // Twenty files saved at once (an IDE's "save all"): one sync.
  const size_t synced_before = count(watch.err(), "Synced");
  for (int i = 0; i < 20; ++i) write_file(stack.dir() / ("app/batch/f" + std::to_string(i) + ".py"), "x\n");
  CHECK(eventually([&] { return in_container(stack, "web", "ls /app/batch | wc -l | tr -d ' '") == "20\n"; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(count(watch.err(), "Synced") == synced_before + 1);
  CHECK(contains(watch.err(), "Service web  Synced  copied batch/f0.py"));

  CHECK(watch.stop() == 0);
}

TEST_CASE("watch rebuilds and recreates only the service whose dependency file changed", "[e2e][watch]") {
  Stack stack("watch-rebuild", std::string("services:\n") + "  web:\n    build: .\n    stop_grace_period: 1s\n" +
                                   "    develop:\n      watch:\n" +
                                   "        - action: rebuild\n          path: ./requirements.txt\n" +
                                   "        - action: sync\n          path: ./app\n          target: /app\n" +
                                   "  db:\n    image: " + busybox_image() +
                                   "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n");
  const std::string marker = unique_name("req");
  write_file(stack.dir() / "Dockerfile", std::string("FROM ") + busybox_image() +
                                             "\nCOPY requirements.txt /requirements.txt\nCOPY app /app\n"
                                             "CMD [\"sleep\", \"3600\"]\n");
  write_file(stack.dir() / "requirements.txt", marker + "-1\n");
  BuiltImage image(stack, "web");
  write_file(stack.dir() / "app/main.py", "v1\n");

  Watching watch(stack);
  INFO(watch.err());
  REQUIRE(watch.ready());
  auto before = stack.ids_by_service();
  REQUIRE(before.at("web").size() == 1);
  const std::string old_image = stack.engine().inspect_container(before.at("web").front()).value("Image", "");

  write_file(stack.dir() / "requirements.txt", marker + "-2\n");
  CHECK(eventually([&] { return contains(watch.err(), "Service web  Rebuilt"); }));
  auto after = stack.ids_by_service();
  CHECK(after.at("web") != before.at("web"));
  CHECK(after.at("db") == before.at("db"));
  CHECK(in_container(stack, "web", "cat /requirements.txt") == marker + "-2\n");
  CHECK(stack.states()[stack.container("web")] == "running");

  // --prune (the default): the image the rebuild replaced is gone.
  CHECK_THROWS(stack.engine().inspect_image(old_image));

  CHECK(watch.stop() == 0);
}

TEST_CASE("watch: initial_sync, include, sync+restart and sync+exec", "[e2e][watch]") {
  Stack stack("watch-actions",
              std::string("services:\n") + "  app:\n    image: " + busybox_image() +
                  "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" +
                  "    develop:\n      watch:\n" +
                  "        - action: sync\n          path: ./seed\n          target: /seed\n          initial_sync: true\n" +
                  "        - action: sync+restart\n          path: ./conf\n          target: /etc/app\n" +
                  "        - action: sync+exec\n          path: ./code\n          target: /code\n" +
                  "          include: [\"*.py\"]\n" +
                  "          exec:\n            command: sh -c 'cat /code/*.py > /tmp/combined; echo $$WHO >> /tmp/combined'\n" +
                  "            environment: {WHO: hook}\n" +
                  "        - action: sync+exec\n          path: ./broken\n          target: /broken\n" +
                  "          exec:\n            command: sh -c 'echo cannot reload >&2; exit 4'\n");
  write_file(stack.dir() / "seed/data.txt", "seeded\n");
  fs::create_directories(stack.dir() / "conf");
  fs::create_directories(stack.dir() / "code");
  fs::create_directories(stack.dir() / "broken");

  Watching watch(stack);
  INFO(watch.err());
  REQUIRE(watch.ready());
  CHECK(in_container(stack, "app", "cat /seed/data.txt") == "seeded\n");

  write_file(stack.dir() / "code/readme.md", "not code\n");
  write_file(stack.dir() / "code/a.py", "print(1)\n");
  CHECK(eventually([&] { return in_container(stack, "app", "cat /tmp/combined 2>/dev/null") == "print(1)\nhook\n"; }));
  CHECK(in_container(stack, "app", "test -e /code/readme.md && echo there || echo absent") == "absent\n");
  CHECK(contains(watch.err(), "Service app  Executed"));

  // A failing exec is reported with the service, the command and its exit
  // code; watching goes on (the restart below still happens).
  write_file(stack.dir() / "broken/x.txt", "x\n");
  CHECK(eventually([&] {
    return contains(watch.err(), "Service app  Error  container ") &&
           contains(watch.err(), "exec `sh -c echo cannot reload >&2; exit 4` exited with status 4") &&
           contains(watch.err(), "cannot reload");
  }));

  auto started_at = [&] {
    return stack.engine().inspect_container(stack.container("app"))["State"].value("StartedAt", "");
  };
  const std::string first_start = started_at();
  write_file(stack.dir() / "conf/app.conf", "level=debug\n");
  CHECK(eventually([&] { return started_at() != first_start && contains(watch.err(), "Service app  Restarted"); }));
  CHECK(eventually([&] { return in_container(stack, "app", "cat /etc/app/app.conf") == "level=debug\n"; }));

  CHECK(watch.stop() == 0);
}

TEST_CASE("watch refuses what it cannot watch, naming the rule", "[e2e][watch]") {
  Stack stack("watch-errors", sleeping_services(1));
  auto none = stack.berth({"watch"});
  CHECK(none.exit_code != 0);
  CHECK(contains(none.err, "none of the project's services has a develop.watch section"));

  stack.write(sleeping_services(1, "    develop:\n      watch:\n        - action: sync\n          path: ./src\n"));
  auto no_target = stack.berth({"watch", "--no-up"});
  CHECK(no_target.exit_code != 0);
  CHECK(contains(no_target.err, "service \"s0\": develop.watch[0]: action sync needs a target"));

  stack.write(sleeping_services(1, "    develop:\n      watch:\n        - action: rebuild\n          path: ./src\n"));
  auto no_build = stack.berth({"watch", "--no-up"});
  CHECK(no_build.exit_code != 0);
  CHECK(contains(no_build.err, "action rebuild needs a build section"));
  CHECK(stack.containers().empty());

  // --dry-run prints the plan watch would start with, and watches nothing.
  stack.write(sleeping_services(1, "    develop:\n      watch:\n        - {action: sync, path: ./src, target: /src}\n"));
  auto dry = stack.berth({"--dry-run", "watch"});
  CHECK(dry.exit_code == 0);
  CHECK(contains(dry.err, "nothing is watched"));
  CHECK(stack.containers().empty());
}

TEST_CASE("up --watch follows the output and syncs, Ctrl-C stops watching and the stack", "[e2e][watch]") {
  Stack stack("watch-up", std::string("services:\n") + "  app:\n    image: " + busybox_image() +
                              "\n    command: [\"sh\", \"-c\", \"echo app-up; sleep 3600\"]\n    stop_grace_period: 1s\n" +
                              "    develop:\n      watch:\n" +
                              "        - action: sync\n          path: ./src\n          target: /src\n");
  fs::create_directories(stack.dir() / "src");
  auto detached = stack.berth({"up", "-d", "--watch"});
  CHECK(detached.exit_code != 0);
  CHECK(contains(detached.err, "--watch and --detach are incompatible"));
  CHECK(stack.containers().empty());

  BackgroundRun up(stack.argv({"up", "--watch"}), stack.dir() / "up");
  REQUIRE(eventually([&] { return contains(up.err(), "Watch enabled") && contains(up.out(), "app-1  | app-up"); }));
  write_file(stack.dir() / "src/main.py", "hello\n");
  CHECK(eventually([&] { return in_container(stack, "app", "cat /src/main.py 2>/dev/null") == "hello\n"; }));
  up.signal(SIGINT);
  CHECK(up.wait() == 130);
  INFO(up.err());
  CHECK(stack.states()[stack.container("app")] == "exited");
  // Watching stopped with the stack: a change now goes nowhere.
  write_file(stack.dir() / "src/late.py", "late\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(!contains(up.err(), "late.py"));
}
