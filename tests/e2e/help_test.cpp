// `berth help`, `--help` and the README's command table agree with the
// commands the CLI registers, and descriptions keep docker compose's wording.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "e2e_support.h"

using berth::e2e::run_berth;

namespace {

// Every visible command with its description, read from the CLI itself.
std::map<std::string, std::string> registered_commands() {
  auto r = run_berth({"__complete", "--", ""});
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> commands;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    auto tab = line.find('\t');
    commands[line.substr(0, tab)] = tab == std::string::npos ? "" : line.substr(tab + 1);
  }
  return commands;
}

// The first cell of each row of the table under "## Commands" in README.md.
std::set<std::string> readme_commands() {
  std::ifstream readme(std::string(BERTH_SOURCE_DIR) + "/README.md");
  REQUIRE(readme);
  std::set<std::string> commands;
  bool in_section = false;
  for (std::string line; std::getline(readme, line);) {
    if (line.starts_with("## ")) in_section = line == "## Commands";
    if (!in_section || !line.starts_with("| `")) continue;
    auto end = line.find('`', 3);
    if (end != std::string::npos) commands.insert(line.substr(3, end - 3));
  }
  return commands;
}

}  // namespace

TEST_CASE("berth help COMMAND prints what COMMAND --help prints", "[e2e][help]") {
  auto commands = registered_commands();
  REQUIRE(commands.count("up"));
  for (const auto& [name, description] : commands) {
    CAPTURE(name);
    auto help = run_berth({"help", name});
    auto flag = run_berth({name, "--help"});
    CHECK(help.exit_code == 0);
    CHECK(flag.exit_code == 0);
    CHECK(help.out == flag.out);
    CHECK(help.out.starts_with(description + "\nUsage: berth " + name + " "));
  }
  auto all = run_berth({"help"});
  CHECK(all.exit_code == 0);
  CHECK(all.out == run_berth({"--help"}).out);
  auto unknown = run_berth({"help", "nosuchcommand"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("unknown command \"nosuchcommand\"") != std::string::npos);
}

TEST_CASE("an unknown command is an error whatever follows it", "[e2e][help]") {
  for (std::vector<std::string> args : {std::vector<std::string>{"nosuch", "--help"}, {"nosuch"}, {"stpo", "-h"},
                                        {"-p", "x", "nosuch", "--version"}}) {
    CAPTURE(args);
    auto r = run_berth(args);
    CHECK(r.exit_code != 0);
    CHECK(r.out.empty());
    CHECK(r.err.find("unknown command \"" + (args[0] == "-p" ? args[2] : args[0]) + "\"") != std::string::npos);
  }
  CHECK(run_berth({"stpo", "-h"}).err.find("did you mean \"stop\"") != std::string::npos);
}

TEST_CASE("command descriptions use docker compose's wording", "[e2e][help]") {
  // docker compose's descriptions (docs/reference/compose.md), "Docker
  // Compose" read as "berth". `wait` keeps the wording of the compose
  // releases whose behaviour berth follows (it returns when the first
  // container stops).
  const std::map<std::string, std::string> compose = {
      {"attach", "Attach local standard input, output, and error streams to a service's running container"},
      {"build", "Build or rebuild services"},
      {"commit", "Create a new image from a service container's changes"},
      {"config", "Parse, resolve and render compose file in canonical format"},
      {"cp", "Copy files/folders between a service container and the local filesystem"},
      {"create", "Creates containers for a service"},
      {"down", "Stop and remove containers, networks"},
      {"events", "Receive real time events from containers"},
      {"exec", "Execute a command in a running container"},
      {"export", "Export a service container's filesystem as a tar archive"},
      {"images", "List images used by the created containers"},
      {"kill", "Force stop service containers"},
      {"logs", "View output from containers"},
      {"ls", "List running compose projects"},
      {"pause", "Pause services"},
      {"port", "Print the public port for a port binding"},
      {"ps", "List containers"},
      {"pull", "Pull service images"},
      {"push", "Push service images"},
      {"restart", "Restart service containers"},
      {"rm", "Removes stopped service containers"},
      {"run", "Run a one-off command on a service"},
      {"scale", "Scale services"},
      {"start", "Start services"},
      {"stats", "Display a live stream of container(s) resource usage statistics"},
      {"stop", "Stop services"},
      {"top", "Display the running processes"},
      {"unpause", "Unpause services"},
      {"up", "Create and start containers"},
      {"version", "Show the berth version information"},
      {"volumes", "List volumes"},
      {"wait", "Block until the first service container stops"},
      {"watch", "Watch build context for service and rebuild/refresh containers when files are updated"},
      {"help", "Help about any command"},
  };
  for (const auto& [name, description] : registered_commands()) {
    auto it = compose.find(name);
    if (it == compose.end()) continue;  // berth's own (audit) or docker's, not compose's (init)
    CAPTURE(name);
    CHECK(description == it->second);
  }
}

TEST_CASE("the README's command table lists every registered command", "[e2e][help]") {
  std::set<std::string> registered;
  for (const auto& [name, description] : registered_commands()) registered.insert(name);
  auto documented = readme_commands();
  for (const auto& name : registered) {
    CAPTURE(name);
    CHECK(documented.count(name));
  }
  for (const auto& name : documented) {
    CAPTURE(name);
    CHECK(registered.count(name));
  }
}
