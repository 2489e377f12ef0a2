// Shell completion end to end: `berth __complete` on a real project, and the
// bash, zsh and fish scripts in completions/ run by the real shells.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "e2e_support.h"

namespace fs = std::filesystem;
using berth::e2e::run_berth;
using berth::e2e::run_command;
using berth::e2e::unique_name;

namespace {

const char* const kCompose = R"(services:
  web:
    image: berth-local/busybox:latest
  db:
    image: berth-local/busybox:latest
  notebook:
    image: berth-local/busybox:latest
    profiles: [dev]
x-berth:
  environments:
    dev: {files: [dev.yml], profiles: [dev]}
    prod: {security: strict}
)";

// The dev environment's extra file: a sidecar only `--env dev` knows.
const char* const kDevFile = R"(services:
  shell:
    image: berth-local/busybox:latest
    profiles: [dev]
)";

// A project directory with compose.yaml, removed when the test ends.
struct TempProject {
  fs::path dir;
  explicit TempProject(const std::string& compose = kCompose) {
    dir = fs::temp_directory_path() / unique_name("complete");
    fs::create_directories(dir);
    std::ofstream(dir / "compose.yaml") << compose;
    std::ofstream(dir / "dev.yml") << kDevFile;
  }
  ~TempProject() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string file() const { return (dir / "compose.yaml").string(); }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// The candidates of `berth __complete -- WORDS...`, descriptions dropped.
std::vector<std::string> complete(const std::vector<std::string>& words) {
  std::vector<std::string> args{"__complete", "--"};
  args.insert(args.end(), words.begin(), words.end());
  auto r = run_berth(args);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  auto lines = lines_of(r.out);
  for (auto& line : lines) line = line.substr(0, line.find('\t'));
  return lines;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string berth_dir() { return fs::path(BERTH_BINARY).parent_path().string(); }
std::string completions_dir() { return std::string(BERTH_SOURCE_DIR) + "/completions"; }

// Runs a shell script in `dir` with the berth under test first on PATH, as a
// user who installed it would; returns its output lines.
std::vector<std::string> run_shell(const std::vector<std::string>& shell, const std::string& script,
                                   const fs::path& dir) {
  std::vector<std::string> argv = shell;
  argv.push_back("cd '" + dir.string() + "'; " + script);
  const char* path = std::getenv("PATH");
  auto r = run_command(argv, "", {"PATH=" + berth_dir() + ":" + (path ? path : "/usr/bin:/bin")});
  INFO(script << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
  return lines_of(r.out);
}

}  // namespace

TEST_CASE("__complete offers commands and flags and fixed choices", "[e2e][completion]") {
  auto commands = complete({""});
  for (const char* c : {"up", "down", "logs", "ps", "exec", "config", "help"}) CHECK(contains(commands, c));
  CHECK_FALSE(contains(commands, "__complete"));
  CHECK(complete({"up", "--no-de"}) == std::vector<std::string>{"--no-deps"});
  CHECK(complete({"--progress", ""}) == std::vector<std::string>{"auto", "tty", "plain", "json", "quiet"});
  CHECK(complete({"--ansi=n"}) == std::vector<std::string>{"--ansi=never"});
  CHECK(complete({"--security", "s"}) == std::vector<std::string>{"standard", "strict"});
  CHECK(complete({"-f", ""}) == std::vector<std::string>{":files"});
}

TEST_CASE("__complete offers the project's services and profiles and environments", "[e2e][completion]") {
  TempProject project;
  const auto f = project.file();
  CHECK(complete({"-f", f, "up", ""}) == std::vector<std::string>{"db", "notebook", "web"});
  CHECK(complete({"-f", f, "logs", "-f", "web", "--tail", "5", ""}) == std::vector<std::string>{"db", "notebook"});
  CHECK(complete({"-f", f, "up", "--scale", "w"}) == std::vector<std::string>{"web="});
  CHECK(complete({"-f", f, "--profile", ""}) == std::vector<std::string>{"dev"});
  CHECK(complete({"-f", f, "--env", ""}) == std::vector<std::string>{"dev", "prod"});
  CHECK(complete({"-f", f, "--env", "dev", "up", ""}) == std::vector<std::string>{"db", "notebook", "shell", "web"});
  CHECK(run_berth({"__complete", "--", "-f", f, "stop", ""}, "", {"BERTH_ENV=dev"}).out == "db\nnotebook\nshell\nweb\n");
  CHECK(complete({"--project-directory", project.dir.string(), "exec", "d"}) == std::vector<std::string>{"db"});
  CHECK(complete({"-f", f, "exec", "web", ""}).empty());  // the container's command
}

TEST_CASE("__complete is silent when the project cannot be loaded", "[e2e][completion]") {
  TempProject broken("services:\n  web:\n    imagee: x\n");
  CHECK(complete({"-f", broken.file(), "up", ""}).empty());
  CHECK(complete({"-f", (broken.dir / "missing.yaml").string(), "up", ""}).empty());
  // Warnings (obsolete version, unset variables) never reach the terminal.
  TempProject warning("version: '3'\nservices:\n  web:\n    image: ${UNSET_FOR_COMPLETION_TEST}x\n");
  CHECK(complete({"-f", warning.file(), "up", ""}) == std::vector<std::string>{"web"});
}

TEST_CASE("bash completes commands and flags and services with completions/berth.bash", "[e2e][completion]") {
  TempProject project;
  const std::string prelude = "source '" + completions_dir() + "/berth.bash'; ";
  auto reply = [&](const std::string& words, int cword) {
    return run_shell({"bash", "--norc", "--noprofile", "-c"},
                     prelude + "COMP_WORDS=(" + words + "); COMP_CWORD=" + std::to_string(cword) +
                         "; _berth; printf '%s\\n' \"${COMPREPLY[@]}\"",
                     project.dir);
  };
  auto commands = reply("berth ''", 1);
  CHECK(contains(commands, "up"));
  CHECK(contains(commands, "logs"));
  CHECK(reply("berth up --no-de", 2) == std::vector<std::string>{"--no-deps"});
  CHECK(reply("berth up ''", 2) == std::vector<std::string>{"db", "notebook", "web"});
  // bash splits "--progress=pl" at '=': the reply replaces only "pl".
  CHECK(reply("berth --progress = pl", 3) == std::vector<std::string>{"plain"});
  // The completion is registered for the berth command.
  CHECK(run_shell({"bash", "--norc", "--noprofile", "-c"}, prelude + "complete -p berth", project.dir) ==
        std::vector<std::string>{"complete -F _berth berth"});
}

TEST_CASE("zsh completes commands and flags and services with completions/_berth", "[e2e][completion]") {
  TempProject project;
  // compadd only exists inside the completion system: stand in for it and
  // print what the function offers.
  const std::string harness = "compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -l -- \"$@\"; }; "
                              "_files() { print -- :files; }; "
                              "source '" + completions_dir() + "/_berth'; ";
  auto offered = [&](const std::string& words) {
    return run_shell({"zsh", "-f", "-c"},
                     harness + "words=(" + words + "); CURRENT=${#words}; _berth", project.dir);
  };
  auto commands = offered("berth ''");
  CHECK(contains(commands, "up"));
  CHECK(contains(commands, "logs"));
  CHECK(offered("berth up --no-de") == std::vector<std::string>{"--no-deps"});
  CHECK(offered("berth up ''") == std::vector<std::string>{"db", "notebook", "web"});
  CHECK(offered("berth --env ''") == std::vector<std::string>{"dev", "prod"});
  CHECK(offered("berth -f ''") == std::vector<std::string>{":files"});
}

TEST_CASE("fish completes commands and flags and services with completions/berth.fish", "[e2e][completion]") {
  TempProject project;
  auto offered = [&](const std::string& line) {
    auto lines = run_shell({"fish", "--no-config", "-c"},
                           "source '" + completions_dir() + "/berth.fish'; complete -C '" + line + "'", project.dir);
    for (auto& l : lines) l = l.substr(0, l.find('\t'));
    return lines;
  };
  auto commands = offered("berth ");
  CHECK(contains(commands, "up"));
  CHECK(contains(commands, "logs"));
  CHECK(offered("berth up --no-de") == std::vector<std::string>{"--no-deps"});
  CHECK(offered("berth up ") == std::vector<std::string>{"db", "notebook", "web"});
  CHECK(offered("berth --profile ") == std::vector<std::string>{"dev"});
}
