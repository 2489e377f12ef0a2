#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lifecycle_fixture.h"

using namespace berth::e2e;

TEST_CASE("stop, start, restart, pause, unpause, kill act on the named services", "[e2e][lifecycle][commands]") {
  Stack stack("cmds", sleeping_services(2));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  const auto s0 = stack.container("s0"), s1 = stack.container("s1");
  const auto ids = stack.ids_by_service();

  struct Step {
    std::vector<std::string> args;
    std::string s0_state, s1_state;
  };
  const Step steps[] = {
      {{"stop", "-t", "1", "s0"}, "exited", "running"},
      {{"start", "s0"}, "running", "running"},
      {{"pause"}, "paused", "paused"},
      {{"unpause", "s1"}, "paused", "running"},
      {{"unpause", "s0"}, "running", "running"},
      {{"restart", "-t", "1", "s1"}, "running", "running"},
      {{"kill", "-s", "SIGKILL", "s1"}, "running", "exited"},
      {{"stop", "-t", "1"}, "exited", "exited"},
      {{"start"}, "running", "running"},
  };
  for (const auto& step : steps) {
    CAPTURE(step.args);
    auto r = stack.berth(step.args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto states = stack.states();
    CHECK(states[s0] == step.s0_state);
    CHECK(states[s1] == step.s1_state);
  }
  // None of these recreate anything.
  CHECK(stack.ids_by_service() == ids);
}

TEST_CASE("lifecycle commands support --dry-run and change nothing", "[e2e][lifecycle][commands]") {
  Stack stack("dry", sleeping_services(1));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  const auto s0 = stack.container("s0");
  const std::vector<std::vector<std::string>> commands = {
      {"stop"}, {"restart"}, {"kill"}, {"pause"}, {"rm", "-f", "-s"}, {"down", "-v"}, {"up", "-d", "--force-recreate"},
  };
  auto ids = stack.ids_by_service();
  for (const auto& args : commands) {
    CAPTURE(args);
    std::vector<std::string> full = {"--dry-run"};
    full.insert(full.end(), args.begin(), args.end());
    auto r = stack.berth(full);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(stack.states()[s0] == "running");
    CHECK(stack.ids_by_service() == ids);
  }
}

TEST_CASE("rm removes stopped containers, -s stops first, -v takes anonymous volumes", "[e2e][lifecycle][commands]") {
  Stack stack("rm", sleeping_services(1, "    volumes: [\"/scratch\"]\n"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto running = stack.berth({"rm", "-f"});
  CHECK(running.exit_code == 0);
  CHECK(stack.states().size() == 1);  // a running container is not removed without -s

  auto anonymous = [&] {
    auto inspect = stack.engine().inspect_container(stack.container("s0"));
    for (const auto& m : inspect["Mounts"])
      if (m.value("Destination", "") == "/scratch") return m.value("Name", "");
    return std::string();
  }();
  REQUIRE(!anonymous.empty());
  auto r = stack.berth({"rm", "-f", "-s", "-v"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(stack.states().empty());
  CHECK(!stack.volume_exists(anonymous));
}

TEST_CASE("ps lists the project's containers like docker compose", "[e2e][lifecycle][ps]") {
  Stack stack("ps", sleeping_services(2, "    ports: [\"127.0.0.1::80\"]\n"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  REQUIRE(stack.berth({"stop", "-t", "1", "s1"}).exit_code == 0);

  auto table = stack.berth({"ps"});
  INFO(table.err);
  REQUIRE(table.exit_code == 0);
  std::istringstream lines(table.out);
  std::string header;
  std::getline(lines, header);
  CHECK(header.rfind("NAME", 0) == 0);
  for (const char* column : {"IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"})
    CHECK(contains(header, column));
  CHECK(contains(table.out, stack.container("s0")));
  CHECK(contains(table.out, "\"sleep 3600\""));
  CHECK(contains(table.out, "127.0.0.1:"));
  CHECK(!contains(table.out, stack.container("s1")));  // stopped: only with -a

  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> present, absent;
  };
  const Case cases[] = {
      {{"ps", "-a"}, {stack.container("s0"), stack.container("s1")}, {}},
      {{"ps", "-a", "--services"}, {"s0\n", "s1\n"}, {"NAME"}},
      {{"ps", "--status", "exited"}, {stack.container("s1")}, {stack.container("s0")}},
      {{"ps", "--filter", "status=running"}, {stack.container("s0")}, {stack.container("s1")}},
      {{"ps", "-a", "s1"}, {stack.container("s1")}, {stack.container("s0")}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    auto r = stack.berth(c.args);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    for (const auto& p : c.present) CHECK(contains(r.out, p));
    for (const auto& a : c.absent) CHECK(!contains(r.out, a));
  }

  auto quiet = stack.berth({"ps", "-a", "-q"});
  for (const auto& [_, ids] : stack.ids_by_service())
    for (const auto& id : ids) CHECK(contains(quiet.out, id + "\n"));

  auto json = stack.berth({"ps", "-a", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  std::istringstream json_lines(json.out);
  int objects = 0;
  for (std::string line; std::getline(json_lines, line);) {
    auto object = nlohmann::json::parse(line);
    CHECK(object["Project"] == stack.project());
    CHECK(object.contains("State"));
    ++objects;
  }
  CHECK(objects == 2);

  auto bad = stack.berth({"ps", "--status", "sleeping"});
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.err, "sleeping"));
}

TEST_CASE("ps --format takes docker compose's Go templates", "[e2e][lifecycle][ps]") {
  Stack stack("pstpl", sleeping_services(2, "    ports: [\"127.0.0.1::80\"]\n"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  REQUIRE(stack.berth({"stop", "-t", "1", "s1"}).exit_code == 0);

  auto lines = stack.berth({"ps", "-a", "--format", "{{.Name}}\\t{{.Service}}\\t{{.State}}\\t{{.ExitCode}}"});
  INFO(lines.err);
  REQUIRE(lines.exit_code == 0);
  CHECK(contains(lines.out, stack.container("s0") + "\ts0\trunning\t0\n"));
  CHECK(contains(lines.out, stack.container("s1") + "\ts1\texited\t"));

  // "table": docker's header names and tabwriter alignment.
  auto table = stack.berth({"ps", "--format", "table {{.Name}}\\t{{.Ports}}\\t{{.Project}}"});
  REQUIRE(table.exit_code == 0);
  std::istringstream rows(table.out);
  std::string header, row;
  std::getline(rows, header);
  std::getline(rows, row);
  CHECK(header.rfind("NAME", 0) == 0);
  CHECK(contains(header, "PORTS"));
  CHECK(contains(header, "PROJECT"));
  CHECK(header.find("PORTS") == row.find("127.0.0.1:"));
  CHECK(contains(row, stack.project()));

  // The ID is cut to 12 characters unless --no-trunc, as in docker compose.
  const auto s0_id = stack.ids_by_service().at("s0").front();
  CHECK(stack.berth({"ps", "--format", "{{.ID}}", "s0"}).out == s0_id.substr(0, 12) + "\n");
  CHECK(stack.berth({"ps", "--no-trunc", "--format", "{{.ID}}", "s0"}).out == s0_id + "\n");

  auto object = nlohmann::json::parse(stack.berth({"ps", "--format", "{{json .}}", "s0"}).out);
  CHECK(object["Service"] == "s0");
  CHECK(object["Networks"] == stack.project() + "_default");

  // What berth cannot render is refused by name, before the engine is asked.
  auto unknown = stack.berth({"ps", "--format", "{{.Mounts}}"});
  CHECK(unknown.exit_code == 1);
  CHECK(contains(unknown.err, ".Mounts"));
  auto method = stack.berth({"ps", "--format", "{{.Label \"x\"}}"});
  CHECK(method.exit_code == 1);
  CHECK(contains(method.err, "{{.Label \"x\"}}"));
}

TEST_CASE("ps and down work from the project name alone", "[e2e][lifecycle][ps]") {
  Stack stack("byname", sleeping_services(1));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto empty_dir = stack.dir() / "elsewhere";
  std::filesystem::create_directories(empty_dir);
  auto ps = run_command({"sh", "-c", "cd '" + empty_dir.string() + "' && '" + BERTH_BINARY + "' -p " +
                                         stack.project() + " ps"});
  INFO(ps.err);
  CHECK(ps.exit_code == 0);
  CHECK(contains(ps.out, stack.container("s0")));
  auto down = run_command({"sh", "-c", "cd '" + empty_dir.string() + "' && '" + BERTH_BINARY + "' -p " +
                                           stack.project() + " --progress plain down -t 1"});
  INFO(down.err);
  CHECK(down.exit_code == 0);
  CHECK(stack.containers().empty());
}

TEST_CASE("ls lists projects with their status and config files", "[e2e][lifecycle][ls]") {
  Stack stack("ls", sleeping_services(2));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  REQUIRE(stack.berth({"stop", "-t", "1", "s1"}).exit_code == 0);

  auto table = stack.berth({"ls"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.rfind("NAME", 0) == 0);
  CHECK(contains(table.out, stack.project()));
  CHECK(contains(table.out, "running(1)"));

  auto all = stack.berth({"ls", "-a", "--filter", "name=" + stack.project()});
  CHECK(contains(all.out, "exited(1), running(1)"));
  CHECK(contains(all.out, stack.file()));

  auto quiet = stack.berth({"ls", "-q", "--filter", "name=" + stack.project()});
  CHECK(quiet.out == stack.project() + "\n");

  auto json = stack.berth({"ls", "-a", "--format", "json", "--filter", "name=" + stack.project()});
  auto doc = nlohmann::json::parse(json.out);
  REQUIRE(doc.size() == 1);
  CHECK(doc[0]["Name"] == stack.project());
  CHECK(doc[0]["Status"] == "exited(1), running(1)");

  REQUIRE(stack.berth({"stop", "-t", "1"}).exit_code == 0);
  CHECK(!contains(stack.berth({"ls"}).out, stack.project()));
}

TEST_CASE("scale changes the number of containers", "[e2e][lifecycle][scale]") {
  Stack stack("scale", sleeping_services(1));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto up = stack.berth({"scale", "s0=3"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(stack.ids_by_service()["s0"].size() == 3);
  REQUIRE(stack.berth({"scale", "s0=1"}).exit_code == 0);
  CHECK(stack.ids_by_service()["s0"].size() == 1);
  auto bad = stack.berth({"scale", "s0"});
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.err, "SERVICE=NUMBER"));
}

TEST_CASE("wait exits with the first stopped container's code", "[e2e][lifecycle][wait]") {
  Stack stack("wait", std::string("services:\n  job:\n    image: ") + busybox_image() +
                          "\n    command: [\"sh\", \"-c\", \"sleep 1; exit 7\"]\n");
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto r = stack.berth({"wait", "job"});
  INFO(r.err);
  CHECK(r.exit_code == 7);
}

TEST_CASE("restart takes the dependents with depends_on.restart along, unless --no-deps",
          "[e2e][lifecycle][commands]") {
  Stack stack("restart-deps", sleeping_services(1) + "  app:\n    image: " + busybox_image() +
                                  "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
                                  "    depends_on:\n      s0: {condition: service_started, restart: true}\n");
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto started_at = [&](const std::string& service) {
    return stack.engine().inspect_container(stack.container(service))["State"].value("StartedAt", "");
  };
  auto app_started = started_at("app");
  auto s0_started = started_at("s0");

  auto no_deps = stack.berth({"restart", "--no-deps", "-t", "1", "s0"});
  INFO(no_deps.err);
  REQUIRE(no_deps.exit_code == 0);
  CHECK(started_at("s0") != s0_started);
  CHECK(started_at("app") == app_started);

  auto with_deps = stack.berth({"restart", "-t", "1", "s0"});
  INFO(with_deps.err);
  REQUIRE(with_deps.exit_code == 0);
  CHECK(contains(with_deps.err, "Container " + stack.container("app") + "  Restarted"));
  CHECK(started_at("app") != app_started);
}

TEST_CASE("kill --remove-orphans also kills the orphans' containers", "[e2e][lifecycle][commands]") {
  Stack stack("kill-orphans", sleeping_services(2));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  stack.write(sleeping_services(1));  // s1 becomes an orphan
  auto plain = stack.berth({"kill"});
  INFO(plain.err);
  REQUIRE(plain.exit_code == 0);
  CHECK(stack.states()[stack.container("s0")] == "exited");
  CHECK(stack.states()[stack.container("s1")] == "running");

  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto orphans = stack.berth({"kill", "--remove-orphans"});
  INFO(orphans.err);
  REQUIRE(orphans.exit_code == 0);
  CHECK(stack.states()[stack.container("s0")] == "exited");
  CHECK(stack.states()[stack.container("s1")] == "exited");  // killed, not removed (as docker compose)
}

TEST_CASE("kill also kills the services' one-off containers as docker compose does", "[e2e][lifecycle][commands]") {
  Stack stack("kill-oneoff", sleeping_services(2));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto run = stack.berth({"run", "-d", "s0", "sleep", "3600"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  auto oneoff = [&] {
    for (const auto& c : stack.containers())
      if (c.labels.at(berth::model::labels::kOneoff) == "True") return c;
    FAIL("no one-off container");
    return berth::engine::ContainerSummary{};
  };
  REQUIRE(oneoff().state == "running");

  // Another service named: the one-off of s0 is left alone.
  REQUIRE(stack.berth({"kill", "s1"}).exit_code == 0);
  CHECK(oneoff().state == "running");

  auto r = stack.berth({"kill"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(oneoff().state == "exited");
  CHECK(stack.states()[stack.container("s0")] == "exited");

  auto none = stack.berth({"kill"});
  CHECK(none.exit_code == 0);
  CHECK(contains(none.err, "no container to kill"));
}
