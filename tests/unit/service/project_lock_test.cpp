#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "service/project_lock.h"
#include "berth/util/error.h"
#include "../exec/fake_engine.h"

using namespace berth;
using namespace std::chrono_literals;

namespace {

service::LockHolder holder(const std::string& host, const std::string& ns, long pid, const std::string& start) {
  service::LockHolder h;
  h.host = host;
  h.boot_id = "boot-1";
  h.pid_namespace = ns;
  h.pid = pid;
  h.start_time = start;
  return h;
}

// A lock container as another run would have left it.
void plant_lock(test::FakeEngine& engine, const service::LockHolder& h) {
  engine::Labels labels = h.labels();
  labels["dev.berth.lock"] = "demo";
  engine.add_container(service::project_lock_name("demo"), labels, "created");
}

// The PID of a process that has exited (and been reaped).
long dead_pid() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

}  // namespace

TEST_CASE("project lock: a holder is judged only on the same host, boot and PID namespace", "[exec][lock]") {
  const auto self = holder("box", "pid:[1]", 100, "5");
  auto start_of = [](long pid) { return pid == 42 ? std::string("777") : std::string(); };
  CHECK(service::holder_state(holder("box", "pid:[1]", 42, "777"), self, start_of) == service::HolderState::Alive);
  // The PID was reused by a process started later.
  CHECK(service::holder_state(holder("box", "pid:[1]", 42, "700"), self, start_of) == service::HolderState::Gone);
  CHECK(service::holder_state(holder("box", "pid:[1]", 43, "777"), self, start_of) == service::HolderState::Gone);
  CHECK(service::holder_state(holder("other", "pid:[1]", 42, "777"), self, start_of) == service::HolderState::Unknown);
  CHECK(service::holder_state(holder("box", "pid:[2]", 43, "777"), self, start_of) == service::HolderState::Unknown);
  auto rebooted = holder("box", "pid:[1]", 43, "777");
  rebooted.boot_id = "boot-2";
  CHECK(service::holder_state(rebooted, self, start_of) == service::HolderState::Unknown);
  // A lock without holder labels (hand-made, older berth).
  CHECK(service::holder_state(service::LockHolder::from_labels({}), self, start_of) == service::HolderState::Unknown);
}

TEST_CASE("project lock: this process describes itself and round-trips through labels", "[exec][lock]") {
  auto self = service::LockHolder::this_process();
  CHECK(self.pid == static_cast<long>(getpid()));
  CHECK_FALSE(self.start_time.empty());
  CHECK(self.start_time == service::process_start_time(self.pid));
  CHECK_FALSE(self.host.empty());
  CHECK_FALSE(self.pid_namespace.empty());
  auto back = service::LockHolder::from_labels(self.labels());
  CHECK(back.host == self.host);
  CHECK(back.pid == self.pid);
  CHECK(back.start_time == self.start_time);
  CHECK(service::holder_state(back, self, service::process_start_time) == service::HolderState::Alive);
  CHECK(service::process_start_time(dead_pid()).empty());
}

TEST_CASE("project lock: held while alive, removed when released, nested in one thread once", "[exec][lock]") {
  test::FakeEngine engine;
  {
    service::ProjectLock lock(engine, "demo", "sha256:busybox");
    CHECK(lock.held());
    auto* c = engine.by_name("demo_berth-lock");
    REQUIRE(c != nullptr);
    CHECK(c->labels.at("dev.berth.lock") == "demo");
    CHECK(c->labels.at("dev.berth.lock.pid") == std::to_string(getpid()));
    CHECK(c->body["HostConfig"]["NetworkMode"] == "none");
    // Never mistaken for a project container, whatever labels its image has.
    CHECK(c->labels.at("com.docker.compose.project").empty());
    CHECK(c->labels.at("com.docker.compose.service").empty());
    {
      service::ProjectLock nested(engine, "demo", "sha256:busybox");
      CHECK(nested.held());
    }
    CHECK(engine.by_name("demo_berth-lock") != nullptr);
  }
  CHECK(engine.by_name("demo_berth-lock") == nullptr);
  // No image to make it from: unserialized.
  service::ProjectLock none(engine, "demo", "");
  CHECK_FALSE(none.held());
  CHECK(engine.containers.empty());
}

TEST_CASE("project lock: a lock left by a killed run on this machine is taken over at once", "[exec][lock]") {
  test::FakeEngine engine;
  auto dead = service::LockHolder::this_process();
  dead.pid = dead_pid();
  dead.start_time = "1";
  plant_lock(engine, dead);
  auto start = std::chrono::steady_clock::now();
  service::ProjectLockOptions options;
  options.foreign_stale_after = 1h;
  service::ProjectLock lock(engine, "demo", "sha256:busybox", options);
  CHECK(lock.held());
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  CHECK(engine.by_name("demo_berth-lock")->labels.at("dev.berth.lock.pid") == std::to_string(getpid()));
}

TEST_CASE("project lock: a holder that cannot be checked is taken over after the stale time", "[exec][lock]") {
  test::FakeEngine engine;
  plant_lock(engine, holder("elsewhere", "pid:[9]", 1, "1"));
  service::ProjectLockOptions options;
  options.foreign_stale_after = 100ms;
  std::vector<std::string> told;
  options.waiting = [&](const std::string& m) { told.push_back(m); };
  service::ProjectLock lock(engine, "demo", "sha256:busybox", options);
  CHECK(lock.held());
  REQUIRE(told.size() == 1);
  CHECK(told.front().find("process 1 on elsewhere") != std::string::npos);
}

TEST_CASE("project lock: a live holder is waited for, waiting can be interrupted", "[exec][lock]") {
  test::FakeEngine engine;
  std::atomic<bool> release{false}, acquired{false};
  std::thread holder_thread([&] {
    service::ProjectLock lock(engine, "demo", "sha256:busybox");
    acquired = true;
    while (!release) std::this_thread::sleep_for(5ms);
  });
  while (!acquired) std::this_thread::sleep_for(5ms);

  service::ProjectLockOptions interrupted;
  interrupted.interrupted = [] { return true; };
  try {
    service::ProjectLock lock(engine, "demo", "sha256:busybox", interrupted);
    FAIL("the lock was taken from a live holder");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Interrupted);
  }

  std::atomic<bool> second_held{false};
  std::thread waiter([&] {
    service::ProjectLock lock(engine, "demo", "sha256:busybox");
    second_held = true;
  });
  std::this_thread::sleep_for(150ms);
  CHECK_FALSE(second_held);
  release = true;
  holder_thread.join();
  waiter.join();
  CHECK(second_held);
  CHECK(engine.by_name("demo_berth-lock") == nullptr);
}

TEST_CASE("project lock: down clears a lock whose holder is gone, never a live one", "[exec][lock]") {
  test::FakeEngine engine;
  plant_lock(engine, service::LockHolder::this_process());
  service::remove_stale_project_lock(engine, "demo");
  CHECK(engine.by_name("demo_berth-lock") != nullptr);
  engine.containers.clear();
  auto dead = service::LockHolder::this_process();
  dead.pid = dead_pid();
  plant_lock(engine, dead);
  service::remove_stale_project_lock(engine, "demo");
  CHECK(engine.by_name("demo_berth-lock") == nullptr);
  service::remove_stale_project_lock(engine, "demo");  // none: nothing to do
}

TEST_CASE("project lock: a foreign container with the lock's name is an error, never removed", "[exec][lock]") {
  test::FakeEngine engine;
  engine.add_container(service::project_lock_name("demo"), {{"owner", "someone"}}, "running");
  service::ProjectLockOptions options;
  options.foreign_stale_after = 0ms;
  CHECK_THROWS_WITH(service::ProjectLock(engine, "demo", "sha256:busybox", options),
                    Catch::Contains("is taken by a container that is not a berth lock"));
  CHECK(engine.by_name("demo_berth-lock") != nullptr);
  service::remove_stale_project_lock(engine, "demo");
  CHECK(engine.by_name("demo_berth-lock") != nullptr);
}

TEST_CASE("project lock: a name that stays taken with no container listed is an error, not an endless wait", "[exec][lock]") {
  test::FakeEngine engine;
  engine.names_taken_unlisted.insert(service::project_lock_name("demo"));
  service::ProjectLockOptions options;
  options.unlisted_name_limit = 100ms;
  CHECK_THROWS_WITH(service::ProjectLock(engine, "demo", "sha256:busybox", options),
                    Catch::Contains("the engine lists no container by that name") &&
                        Catch::Contains("podman rm --storage demo_berth-lock"));
  auto calls = engine.calls();
  CHECK(std::count(calls.begin(), calls.end(), "create demo_berth-lock") < 30);  // it waited between tries
}
