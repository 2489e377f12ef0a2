// The bad-input tour: every command that reads a project, given a malformed
// file, a missing one, a directory, a 100 MB file, binary junk, deep nesting,
// an alias bomb and invalid UTF-8, ends with a clear error naming the file
// (with line and column where the text has them) and a non-zero exit: never
// a crash, a hang or a half-applied plan.
#include <catch2/catch.hpp>
#include <random>
#include <regex>

#include "e2e_support.h"

using namespace berth::e2e;

namespace {

struct BadFile {
  std::string name;        // what the case is
  std::string file;        // written into the project directory ("" = not written)
  std::string content;
  bool positioned = false; // the error must carry line:column
};

std::vector<BadFile> bad_files() {
  std::string bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  std::mt19937 random(20261207);  // fixed: the same junk every run
  std::string junk(4096, '\0');
  for (auto& byte : junk) byte = static_cast<char>(random());
  return {
      {"malformed YAML", "compose.yaml", "services:\n  web:\n    image: [unclosed\n", true},
      {"a missing file", "", "", false},
      {"a directory instead of a file", "compose.yaml/", "", false},
      {"a 100 MB file", "compose.yaml", "#" + std::string(100u << 20, 'a'), false},
      {"binary junk", "compose.yaml", junk, true},
      {"deep nesting", "compose.yaml", "services: " + std::string(100000, '['), true},
      {"an alias bomb", "compose.yaml", bomb, true},
      {"invalid UTF-8", "compose.yaml", "services:\n  web:\n    image: \xff\xfe\n", true},
      {"a non-mapping document", "compose.yaml", "- just\n- a list\n", true},
      {"a schema violation", "compose.yaml", "services:\n  web:\n    image: busybox\n    ports: {a: b}\n", true},
  };
}

// Every command that loads the project, with the arguments it needs.
std::vector<std::vector<std::string>> project_commands() {
  return {{"config"},         {"up", "-d"},        {"create"},         {"start"},          {"stop"},
          {"restart"},        {"kill"},            {"pause"},          {"unpause"},        {"rm", "-f"},
          {"down", "-v"},     {"ps"},              {"scale", "web=2"}, {"wait", "web"},    {"audit"},
          {"logs"},           {"exec", "web", "true"}, {"top"},        {"port", "web", "80"},
          {"commit", "web"},  {"export", "web", "-o", "/dev/null"},    {"watch"},          {"events"},
          {"attach", "web"},  {"run", "--rm", "web", "true"},          {"cp", "web:/etc/hostname", "-"},
          {"stats", "--no-stream"}, {"volumes"},   {"pull"},           {"push"},           {"images"},
          {"build"}};
}

void require_clear_failure(const CommandResult& result, const std::string& file, bool positioned) {
  INFO("stdout: " << result.out.substr(0, 500));
  INFO("stderr: " << result.err.substr(0, 500));
  CHECK(result.exit_code != 0);
  CHECK(result.exit_code < 124);  // 124: the timeout fired (a hang); above 128: a signal (a crash)
  CHECK(result.err.find(file) != std::string::npos);
  if (positioned) CHECK(std::regex_search(result.err, std::regex(std::regex_replace(file, std::regex("[.]"), "[.]") + ":[0-9]+:[0-9]+")));
  for (const char* sign : {"internal error", "terminate called", "Sanitizer", "Segmentation", "Aborted"}) {
    CHECK(result.err.find(sign) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("bad input tour: every project command fails clearly on each bad compose file", "[bad-input]") {
  const auto project = unique_name("bad-input");
  for (const auto& bad : bad_files()) {
    TempDir dir("bad-input");
    const auto path = (dir.path / "compose.yaml").string();
    if (bad.file == "compose.yaml/") {
      std::filesystem::create_directories(path);
    } else if (!bad.file.empty()) {
      dir.write(bad.file, bad.content);
    }
    for (const auto& command : project_commands()) {
      std::vector<std::string> argv = {"timeout", "-s", "KILL", "30", BERTH_BINARY, "-p", project, "-f", path};
      argv.insert(argv.end(), command.begin(), command.end());
      INFO("case: " << bad.name << "; command: berth " << command[0]);
      require_clear_failure(run_command(argv), "compose.yaml", bad.positioned);
    }
    INFO("case: " << bad.name << "; command: berth stack deploy");
    require_clear_failure(
        run_command({"timeout", "-s", "KILL", "30", BERTH_BINARY, "stack", "deploy", "-c", path, project}),
        "compose.yaml", bad.positioned);
  }
  // Nothing was made by any of them.
  auto leftovers = run_command({"docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project});
  CHECK(leftovers.out.empty());
}

TEST_CASE("bad input tour: bad env files fail clearly", "[bad-input]") {
  TempDir dir("bad-env");
  dir.write("compose.yaml", "services:\n  web:\n    image: busybox\n    env_file: [web.env]\n");
  const auto compose = (dir.path / "compose.yaml").string();
  std::mt19937 random(7);
  std::string junk(2048, '\0');
  for (auto& byte : junk) byte = static_cast<char>(random());
  struct Case {
    std::string name, content;
    bool positioned;
  };
  for (const auto& c : std::vector<Case>{{"an unterminated quote", "A=\"open\nB=2\n", true},
                                         {"binary junk", junk, true},
                                         {"a 100 MB file", "A=" + std::string(100u << 20, 'a'), false},
                                         {"invalid UTF-8", "A=\xff\xfe\n", true},
                                         {"an invalid name", "A B=1\n", true}}) {
    INFO("case: " << c.name);
    dir.write("custom.env", c.content);
    dir.write("web.env", c.content);
    auto env_file = (dir.path / "custom.env").string();
    require_clear_failure(
        run_command({"timeout", "-s", "KILL", "30", BERTH_BINARY, "-f", compose, "--env-file", env_file, "config"}),
        "custom.env", c.positioned);
    // env_file: of a service, read when the project is loaded.
    dir.write("custom.env", "");
    require_clear_failure(run_command({"timeout", "-s", "KILL", "30", BERTH_BINARY, "-f", compose, "config"}), "web.env",
                          c.positioned);
  }
  std::filesystem::create_directories(dir.path / "envdir");
  require_clear_failure(
      run_command({"timeout", "-s", "KILL", "30", BERTH_BINARY, "-f", compose, "--env-file",
                   (dir.path / "envdir").string(), "config"}),
      "envdir", false);
}
