// DockerEngine against the real engine: container lifecycle, logs, exec over
// a hijacked stream, archives and events.
#include <catch2/catch.hpp>
#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "berth/engine/cancel_token.h"
#include "berth/engine/docker_engine.h"
#include "engine/transport.h"
#include "berth/engine/tar.h"
#include "support/tar_archive.h"
#include "berth/util/error.h"
#include "e2e_support.h"

using namespace berth::engine;
using berth::test::read_tar;
using berth::test::TarWriter;
using berth::e2e::busybox_image;
using berth::e2e::Cleanup;
using berth::e2e::unique_name;
using nlohmann::json;

namespace {

struct TestContainer {
  DockerEngine& engine;
  std::string name;
  std::string id;
  Cleanup cleanup;
  TestContainer(DockerEngine& e, const std::string& hint, json body)
      : engine(e), name(unique_name(hint)), cleanup([this] {
          RemoveContainerOptions options;
          options.force = true;
          options.volumes = true;
          engine.remove_container(name, options);
        }) {
    body["Image"] = busybox_image();
    id = engine.create_container(name, body).id;
  }
};


}  // namespace

TEST_CASE("engine: create, start, wait, logs, list and remove a container", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  auto label = unique_name("lifecycle");
  TestContainer c(*engine, "lifecycle",
                  {{"Cmd", {"sh", "-c", "echo out1; echo err1 >&2; echo out2; exit 3"}},
                   {"Labels", {{"berth.test", label}}}});
  REQUIRE_FALSE(c.id.empty());
  CHECK(engine->inspect_container(c.name)["State"]["Status"] == "created");

  ListContainersOptions list;
  list.all = true;
  list.filters["label"] = {"berth.test=" + label};
  auto listed = engine->list_containers(list);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == c.id);
  CHECK(listed[0].names == std::vector<std::string>{"/" + c.name});
  CHECK(listed[0].labels.at("berth.test") == label);

  engine->start_container(c.id);
  auto waited = engine->wait_container(c.id);
  CHECK(waited.status_code == 3);

  std::string out, err;
  LogsOptions logs;
  engine->container_logs(c.id, logs, [&](StreamKind kind, std::string_view data) {
    (kind == StreamKind::Stdout ? out : err).append(data);
  });
  CHECK(out == "out1\nout2\n");
  CHECK(err == "err1\n");

  // The engine copies stdout and stderr separately, so which line is last
  // varies; the count does not.
  std::string tail;
  logs.tail = "2";
  engine->container_logs(c.id, logs, [&](StreamKind, std::string_view data) { tail.append(data); });
  CHECK(std::count(tail.begin(), tail.end(), '\n') == 2);

  std::string only_stdout;
  logs.tail = "all";
  logs.show_stderr = false;
  logs.timestamps = true;
  engine->container_logs(c.id, logs, [&](StreamKind kind, std::string_view data) {
    CHECK(kind == StreamKind::Stdout);
    only_stdout.append(data);
  });
  CHECK_THAT(only_stdout, Catch::Contains("Z out1\n"));
  CHECK_THAT(only_stdout, !Catch::Contains("err1"));

  // A window that ends before the container ran holds nothing.
  std::string before;
  LogsOptions window;
  window.until = "1";
  engine->container_logs(c.id, window, [&](StreamKind, std::string_view data) { before.append(data); });
  CHECK(before.empty());

  auto renamed = c.name + "-renamed";
  engine->rename_container(c.id, renamed);
  CHECK(engine->inspect_container(c.id)["Name"] == "/" + renamed);
  engine->rename_container(c.id, c.name);

  engine->remove_container(c.id);
  try {
    engine->inspect_container(c.id);
    FAIL("still there");
  } catch (const berth::Error& e) {
    CHECK(e.kind() == berth::ErrorKind::NotFound);
  }
}

TEST_CASE("engine: stop, kill, pause, top and the 409 of removing a running container", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  TestContainer c(*engine, "running", {{"Cmd", {"sleep", "300"}}});
  engine->start_container(c.id);
  engine->start_container(c.id);  // already started: 304, not an error

  auto top = engine->top_container(c.id);
  CHECK_FALSE(top.titles.empty());
  CHECK(top.processes.size() == 1);

  engine->pause_container(c.id);
  CHECK(engine->inspect_container(c.id)["State"]["Paused"] == true);
  engine->unpause_container(c.id);

  auto started_at = engine->inspect_container(c.id)["State"]["StartedAt"];
  engine->restart_container(c.id, 1);
  auto restarted = engine->inspect_container(c.id)["State"];
  CHECK(restarted["Running"] == true);
  CHECK(restarted["StartedAt"] != started_at);

  try {
    engine->remove_container(c.id);
    FAIL("removed a running container");
  } catch (const berth::Error& e) {
    CHECK(e.kind() == berth::ErrorKind::Conflict);
  }
  auto started = std::chrono::steady_clock::now();
  engine->stop_container(c.id, 1);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  CHECK(engine->inspect_container(c.id)["State"]["Running"] == false);

  engine->start_container(c.id);
  engine->kill_container(c.id, "SIGKILL");
  CHECK(engine->wait_container(c.id).status_code == 137);
}

TEST_CASE("engine: exec with stdin and stdout through the hijacked stream", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  TestContainer c(*engine, "exec", {{"Cmd", {"sleep", "300"}}});
  engine->start_container(c.id);

  ExecOptions exec;
  exec.cmd = {"sh", "-c", "cat; echo done >&2; exit 7"};
  exec.attach_stdin = true;
  auto exec_id = engine->create_exec(c.id, exec);
  REQUIRE_FALSE(exec_id.empty());
  auto stream = engine->start_exec(exec_id, {});
  REQUIRE(stream);
  CHECK(stream->multiplexed());
  stream->write("hello from stdin\n");
  stream->write("second line\n");
  stream->close_write();
  std::string out, err;
  read_all_output(*stream, [&](StreamKind kind, std::string_view data) {
    (kind == StreamKind::Stdout ? out : err).append(data);
  });
  CHECK(out == "hello from stdin\nsecond line\n");
  CHECK(err == "done\n");

  // The exit code is recorded a moment after the stream closes.
  ExecInspectResult inspected;
  for (int i = 0; i < 50; ++i) {
    inspected = engine->inspect_exec(exec_id);
    if (!inspected.running) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK_FALSE(inspected.running);
  CHECK(inspected.exit_code == 7);

  SECTION("a TTY exec is one raw stream") {
    ExecOptions tty;
    tty.cmd = {"sh", "-c", "echo on a tty"};
    tty.tty = true;
    auto tty_id = engine->create_exec(c.id, tty);
    ExecStartOptions start;
    start.tty = true;
    auto tty_stream = engine->start_exec(tty_id, start);
    CHECK_FALSE(tty_stream->multiplexed());
    std::string text;
    read_all_output(*tty_stream, [&](StreamKind, std::string_view data) { text.append(data); });
    CHECK(text == "on a tty\r\n");
  }
  SECTION("cancel unblocks a read from another thread") {
    ExecOptions slow;
    slow.cmd = {"sleep", "30"};
    auto slow_id = engine->create_exec(c.id, slow);
    CancelToken token;
    auto slow_stream = engine->start_exec(slow_id, {}, &token);
    auto started = std::chrono::steady_clock::now();
    std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      token.cancel();
    });
    try {
      read_all_output(*slow_stream, [](StreamKind, std::string_view) {});
      FAIL("read was not cancelled");
    } catch (const berth::Error& e) {
      CHECK(e.kind() == berth::ErrorKind::Interrupted);
    }
    canceller.join();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  }
}

TEST_CASE("engine: archive put and get round trip", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  TestContainer c(*engine, "archive", {{"Cmd", {"true"}}});
  std::string big(100000, 'z');
  TarWriter tar;
  tar.add_file("greeting.txt", "hello, archive\n");
  tar.add_file("sub/big.bin", big);
  engine->put_archive(c.id, "/tmp", body_from_string(tar.finish(), 1000));

  std::string downloaded;
  engine->get_archive(c.id, "/tmp/greeting.txt", [&](std::string_view data) { downloaded.append(data); });
  auto entries = read_tar(downloaded);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == "greeting.txt");
  CHECK(entries[0].content == "hello, archive\n");

  downloaded.clear();
  engine->get_archive(c.id, "/tmp/sub", [&](std::string_view data) { downloaded.append(data); });
  bool found = false;
  for (const auto& entry : read_tar(downloaded))
    if (entry.name == "sub/big.bin") found = entry.content == big;
  CHECK(found);

  try {
    engine->get_archive(c.id, "/no/such/path", [](std::string_view) {});
    FAIL("no error");
  } catch (const berth::Error& e) {
    CHECK(e.kind() == berth::ErrorKind::NotFound);
  }
}

TEST_CASE("engine: events of a container start, filtered by a unique label", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  auto label = unique_name("events");
  auto since = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count() -
                              1);
  EventsOptions options;
  options.filters["label"] = {"berth.test=" + label};
  options.filters["type"] = {"container"};
  options.since = since;

  // Followed live from another thread, stopped by the sink.
  std::vector<std::string> live;
  CancelToken watchdog;
  std::thread follower([&] {
    try {
      engine->events(options, [&](const Event& e) {
        live.push_back(e.action);
        return e.action != "start";
      }, &watchdog);
    } catch (const berth::Error&) {
    }
  });
  TestContainer c(*engine, "events", {{"Cmd", {"true"}}, {"Labels", {{"berth.test", label}}}});
  engine->start_container(c.id);
  engine->wait_container(c.id);
  std::thread timer([&] {
    for (int i = 0; i < 200 && !watchdog.cancelled(); ++i) {
      if (!live.empty() && live.back() == "start") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    watchdog.cancel();
  });
  follower.join();
  timer.join();
  CHECK(live == std::vector<std::string>{"create", "start"});

  // A bounded window: since..until returns and ends by itself.
  options.until = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count() +
                                 1);
  std::vector<std::string> past;
  engine->events(options, [&](const Event& e) {
    past.push_back(e.action);
    CHECK(e.attributes.at("berth.test") == label);
    return true;
  }, nullptr);
  CHECK(std::find(past.begin(), past.end(), "start") != past.end());
  CHECK(std::find(past.begin(), past.end(), "die") != past.end());
}

TEST_CASE("engine: logs follow new output until cancelled", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  TestContainer c(*engine, "follow", {{"Cmd", {"sh", "-c", "echo first; sleep 1; echo second; sleep 300"}}});
  engine->start_container(c.id);
  CancelToken token;
  std::string out;
  std::mutex mutex;
  std::thread follower([&] {
    LogsOptions logs;
    logs.follow = true;
    try {
      engine->container_logs(c.id, logs, [&](StreamKind, std::string_view data) {
        std::lock_guard lock(mutex);
        out.append(data);
      }, &token);
    } catch (const berth::Error& e) {
      CHECK(e.kind() == berth::ErrorKind::Interrupted);
    }
  });
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard lock(mutex);
      if (out.find("second") != std::string::npos) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  token.cancel();
  follower.join();
  CHECK(out == "first\nsecond\n");
}

TEST_CASE("engine: one DockerEngine shared by several threads", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        try {
          engine->list_containers({});
          engine->inspect_image(busybox_image());
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
}

TEST_CASE("engine: attach to a container's stdin and stdout", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  TestContainer c(*engine, "attach",
                  {{"Cmd", {"sh", "-c", "tr a-z A-Z; echo bye >&2"}},
                   {"OpenStdin", true},
                   {"StdinOnce", true},
                   {"AttachStdin", true},
                   {"AttachStdout", true},
                   {"AttachStderr", true}});
  AttachOptions options;
  options.attach_stdin = true;
  auto stream = engine->attach_container(c.id, options);
  REQUIRE(stream->multiplexed());
  engine->start_container(c.id);
  stream->write("shout this\n");
  stream->close_write();
  std::string out, err;
  read_all_output(*stream, [&](StreamKind kind, std::string_view data) {
    (kind == StreamKind::Stdout ? out : err).append(data);
  });
  CHECK(out == "SHOUT THIS\n");
  CHECK(err == "bye\n");
  CHECK(engine->wait_container(c.id).status_code == 0);
}
