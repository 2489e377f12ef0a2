#include "berth/loader/project_files.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "berth/loader/environment.h"

namespace fs = std::filesystem;
using berth::loader::Diagnostics;
using berth::loader::Environment;
using berth::loader::ProjectOptions;
using berth::loader::resolve_project;
using berth::loader::ResolvedProject;

namespace {

// A fresh directory tree per test, removed afterwards.
class TempTree {
 public:
  TempTree() {
    std::string pattern = (fs::temp_directory_path() / "berth-front-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path path(const std::string& rel = "") const { return rel.empty() ? root_ : root_ / rel; }
  void write(const std::string& rel, const std::string& text = "services: {}\n") const {
    fs::create_directories(path(rel).parent_path());
    std::ofstream(path(rel)) << text;
  }
  void mkdir(const std::string& rel) const { fs::create_directories(path(rel)); }

 private:
  fs::path root_;
};

std::vector<std::string> relative_files(const ResolvedProject& project, const TempTree& tree) {
  std::vector<std::string> out;
  for (const auto& f : project.files) out.push_back(fs::path(f.path).lexically_relative(tree.path()).string());
  return out;
}

ResolvedProject resolve(const TempTree& tree, const std::string& working, ProjectOptions options = {},
                        const Environment& env = {}) {
  Diagnostics diagnostics;
  options.working_dir = tree.path(working).string();
  return resolve_project(options, env, diagnostics);
}

using Files = std::vector<std::string>;

}  // namespace

TEST_CASE("compose files are discovered in the working dir or a parent", "[loader][project_files]") {
  struct Case {
    std::vector<std::string> existing;
    std::string working;
    Files expected;
  };
  const std::vector<Case> cases{
      {{"p/compose.yaml"}, "p", {"p/compose.yaml"}},
      {{"p/compose.yml"}, "p", {"p/compose.yml"}},
      {{"p/docker-compose.yaml"}, "p", {"p/docker-compose.yaml"}},
      {{"p/docker-compose.yml"}, "p", {"p/docker-compose.yml"}},
      {{"p/compose.yaml", "p/docker-compose.yml"}, "p", {"p/compose.yaml"}},
      {{"p/compose.yml", "p/docker-compose.yaml"}, "p", {"p/compose.yml"}},
      {{"p/compose.yaml"}, "p/a/b", {"p/compose.yaml"}},
      {{"p/compose.yaml", "p/a/docker-compose.yml"}, "p/a/b", {"p/a/docker-compose.yml"}},
      {{"p/compose.yaml", "p/compose.override.yaml"}, "p", {"p/compose.yaml", "p/compose.override.yaml"}},
      {{"p/compose.yml", "p/compose.override.yml"}, "p", {"p/compose.yml", "p/compose.override.yml"}},
      {{"p/docker-compose.yml", "p/docker-compose.override.yml"}, "p",
       {"p/docker-compose.yml", "p/docker-compose.override.yml"}},
      {{"p/compose.yaml", "p/compose.override.yml", "p/compose.override.yaml"}, "p",
       {"p/compose.yaml", "p/compose.override.yaml"}},
      {{"p/compose.yaml", "p/docker-compose.override.yml"}, "p",
       {"p/compose.yaml", "p/docker-compose.override.yml"}},
      {{"p/compose.override.yaml", "p/a/compose.yaml"}, "p/a", {"p/a/compose.yaml"}},
  };
  for (const auto& c : cases) {
    TempTree tree;
    for (const auto& f : c.existing) tree.write(f);
    tree.mkdir(c.working);
    CAPTURE(c.existing, c.working);
    const auto project = resolve(tree, c.working);
    CHECK(relative_files(project, tree) == c.expected);
    CHECK(project.project_dir == fs::path(project.files[0].path).parent_path().string());
  }
}

TEST_CASE("discovery warns about ambiguous names and explains a miss", "[loader][project_files]") {
  TempTree tree;
  tree.write("p/compose.yaml");
  tree.write("p/docker-compose.yml");
  Diagnostics diagnostics;
  ProjectOptions options;
  options.working_dir = tree.path("p").string();
  resolve_project(options, {}, diagnostics);
  CHECK(diagnostics.contains("Found multiple config files with supported names: " +
                             tree.path("p/compose.yaml").string() + ", " +
                             tree.path("p/docker-compose.yml").string()));

  TempTree empty;
  empty.mkdir("nothing/here");
  CHECK_THROWS_WITH(resolve(empty, "nothing/here"),
                    Catch::StartsWith("no configuration file provided: not found (searched for compose.yaml, "
                                      "compose.yml, docker-compose.yaml, docker-compose.yml in " +
                                      empty.path("nothing/here").string()));
}

TEST_CASE("files given with -f or COMPOSE_FILE", "[loader][project_files]") {
  TempTree tree;
  tree.write("p/compose.yaml");
  tree.write("p/a.yml");
  tree.write("p/b.yml");
  tree.write("other/c.yml");
  struct Case {
    Files flags;
    Environment env;
    std::string dotenv;  // written to p/.env
    Files expected;
  };
  const std::vector<Case> cases{
      {{"a.yml"}, {}, "", {"p/a.yml"}},
      {{"a.yml", "b.yml"}, {}, "", {"p/a.yml", "p/b.yml"}},
      {{"../other/c.yml", "a.yml"}, {}, "", {"other/c.yml", "p/a.yml"}},
      {{}, {{"COMPOSE_FILE", "a.yml:b.yml"}}, "", {"p/a.yml", "p/b.yml"}},
      {{}, {{"COMPOSE_FILE", "a.yml;b.yml"}, {"COMPOSE_PATH_SEPARATOR", ";"}}, "", {"p/a.yml", "p/b.yml"}},
      {{}, {{"COMPOSE_FILE", "b.yml"}}, "COMPOSE_FILE=a.yml\n", {"p/b.yml"}},  // process env wins
      {{}, {}, "COMPOSE_FILE=b.yml:a.yml\n", {"p/b.yml", "p/a.yml"}},
      {{}, {}, "COMPOSE_PATH_SEPARATOR=,\nCOMPOSE_FILE=a.yml,../other/c.yml\n", {"p/a.yml", "other/c.yml"}},
      {{"a.yml"}, {{"COMPOSE_FILE", "b.yml"}}, "", {"p/a.yml"}},  // -f wins
  };
  for (const auto& c : cases) {
    CAPTURE(c.flags, c.dotenv);
    tree.write("p/.env", c.dotenv);
    ProjectOptions options;
    options.files = c.flags;
    CHECK(relative_files(resolve(tree, "p", options, c.env), tree) == c.expected);
  }
  ProjectOptions missing;
  missing.files = {"nope.yml"};
  CHECK_THROWS_WITH(resolve(tree, "p", missing),
                    "open " + tree.path("p/nope.yml").string() + ": no such file or directory");
  CHECK_THROWS_WITH(resolve(tree, "p", {}, {{"COMPOSE_FILE", "a.yml:gone.yml"}}),
                    "open " + tree.path("p/gone.yml").string() + ": no such file or directory");
}

TEST_CASE("project directory and environment", "[loader][project_files]") {
  TempTree tree;
  tree.write("p/sub/compose.yaml");
  tree.write("p/sub/.env", "FROM_DOTENV=sub\nSHARED=dotenv\n");
  tree.write("p/.env", "FROM_WORKDIR=1\n");
  tree.write("p/one.env", "A=1\nB=one\n");
  tree.write("p/two.env", "B=two\nC=${A}${B}\n");
  const Environment process{{"SHARED", "process"}, {"UID", "4242"}};

  ProjectOptions by_file;
  by_file.files = {"sub/compose.yaml"};
  auto project = resolve(tree, "p", by_file, process);
  CHECK(project.project_dir == tree.path("p/sub").string());
  CHECK(project.working_dir == tree.path("p").string());
  CHECK(project.env.at("FROM_DOTENV") == "sub");
  CHECK(project.env.count("FROM_WORKDIR") == 0);
  CHECK(project.env.at("SHARED") == "process");
  CHECK(project.env.at("UID") == "4242");
  CHECK(project.env.count("GID") == 1);
  CHECK(project.default_name == "sub");

  ProjectOptions with_dir = by_file;
  with_dir.project_directory = ".";
  project = resolve(tree, "p", with_dir, process);
  CHECK(project.project_dir == tree.path("p").string());
  CHECK(project.env.at("FROM_WORKDIR") == "1");

  ProjectOptions with_env_files = by_file;
  with_env_files.env_files = {"one.env", "two.env"};
  project = resolve(tree, "p", with_env_files, process);
  CHECK(project.env.at("B") == "two");
  CHECK(project.env.at("C") == "1two");
  CHECK(project.env.count("FROM_DOTENV") == 0);

  project = resolve(tree, "p", by_file, {{"COMPOSE_ENV_FILES", "one.env, two.env"}});
  CHECK(project.env.at("C") == "1two");
  CHECK(project.env.count("FROM_DOTENV") == 0);

  ProjectOptions missing_env_file = by_file;
  missing_env_file.env_files = {"absent.env"};
  CHECK_THROWS_WITH(resolve(tree, "p", missing_env_file, process),
                    "couldn't find env file: " + tree.path("p/absent.env").string());

  ProjectOptions missing_dir;
  missing_dir.project_directory = "nowhere";
  CHECK_THROWS_WITH(resolve(tree, "p", missing_dir),
                    "project directory " + tree.path("p/nowhere").string() + " does not exist");
}

TEST_CASE("project name precedence and normalization", "[loader][project_files]") {
  struct Case {
    std::string dir;                        // holds compose.yaml, also the working dir
    std::optional<std::string> flag;        // -p
    Environment env;
    std::optional<std::string> from_files;  // top-level name:
    std::string expected;                   // or "error: ..." prefix
  };
  const std::vector<Case> cases{
      {"myapp", {}, {}, {}, "myapp"},
      {"My App.v2", {}, {}, {}, "myappv2"},
      {"__-Dir", {}, {}, {}, "dir"},
      {"myapp", {}, {}, std::string("from-file"), "from-file"},
      {"myapp", {}, {}, std::string("From File!"), "fromfile"},
      {"myapp", {}, {{"COMPOSE_PROJECT_NAME", "env_name"}}, std::string("from-file"), "env_name"},
      {"myapp", std::string("flag-name"), {{"COMPOSE_PROJECT_NAME", "env"}}, std::string("f"), "flag-name"},
      {"myapp", std::string("1st"), {}, {}, "1st"},
      {"myapp", std::string("Bad"), {}, {}, "error: invalid project name \"Bad\""},
      {"myapp", std::string("-x"), {}, {}, "error: invalid project name \"-x\""},
      {"myapp", {}, {{"COMPOSE_PROJECT_NAME", "Not OK"}}, {}, "error: invalid project name \"Not OK\""},
      {"myapp", {}, {}, std::string("!!!"), "error: invalid project name \"!!!\""},
      {"___", {}, {}, {}, "error: project name must not be empty"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.dir, c.flag, c.from_files);
    TempTree tree;
    tree.write(c.dir + "/compose.yaml");
    ProjectOptions options;
    options.project_name = c.flag;
    std::string got;
    try {
      got = choose_project_name(resolve(tree, c.dir, options, c.env), c.from_files);
    } catch (const berth::Error& e) {
      got = "error: " + e.message();
    }
    if (c.expected.rfind("error: ", 0) == 0) CHECK_THAT(got, Catch::StartsWith(c.expected));
    else CHECK(got == c.expected);
  }
  TempTree tree;
  tree.write("p/compose.yaml");
  tree.write("p/.env", "COMPOSE_PROJECT_NAME=from_dotenv\n");
  CHECK(choose_project_name(resolve(tree, "p"), {}) == "from_dotenv");
}

TEST_CASE("profiles come from --profile and COMPOSE_PROFILES", "[loader][project_files]") {
  TempTree tree;
  tree.write("p/compose.yaml");
  struct Case {
    Files flags;
    Environment env;
    Files expected;
  };
  const std::vector<Case> cases{
      {{}, {}, {}},
      {{"dev"}, {}, {"dev"}},
      {{"dev", "debug"}, {}, {"dev", "debug"}},
      {{}, {{"COMPOSE_PROFILES", "a,b"}}, {"a", "b"}},
      {{}, {{"COMPOSE_PROFILES", " a , ,b "}}, {"a", "b"}},
      {{"dev"}, {{"COMPOSE_PROFILES", "dev,x"}}, {"dev", "x"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.flags);
    ProjectOptions options;
    options.profiles = c.flags;
    CHECK(resolve(tree, "p", options, c.env).profiles == c.expected);
  }
}

TEST_CASE("project name helpers", "[loader][project_files]") {
  struct Case {
    const char* in;
    const char* normalized;
    bool valid;
  };
  const std::vector<Case> cases{
      {"web", "web", true},        {"Web", "web", false},     {"a_b-c", "a_b-c", true},
      {"1app", "1app", true},      {"_app", "app", false},    {"-app", "app", false},
      {"a.b", "ab", false},        {"", "", false},           {"ÄPP", "pp", false},
      {"my project", "myproject", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(berth::loader::normalize_project_name(c.in) == c.normalized);
    CHECK(berth::loader::is_valid_project_name(c.in) == c.valid);
  }
}

TEST_CASE("stdin as a compose file is read once and the project dir is the working dir", "[loader][project_files]") {
  TempTree tree;
  tree.write("p/other.yml");
  std::istringstream fake_stdin("services:\n  web: {image: busybox}\n");
  auto* saved = std::cin.rdbuf(fake_stdin.rdbuf());
  ProjectOptions options;
  options.files = {"-", "other.yml"};
  ResolvedProject project;
  try {
    project = resolve(tree, "p", options);
  } catch (...) {
    std::cin.rdbuf(saved);
    throw;
  }
  std::cin.rdbuf(saved);
  REQUIRE(project.files.size() == 2);
  CHECK(project.files[0].path == "-");
  CHECK(project.files[0].display_name() == "<stdin>");
  CHECK(project.files[0].content == std::optional<std::string>("services:\n  web: {image: busybox}\n"));
  CHECK_FALSE(project.files[1].content);
  CHECK(project.project_dir == tree.path("p").string());

  options.files = {"-", "-"};
  CHECK_THROWS_WITH(resolve(tree, "p", options), "-f - (stdin) can only be given once");
}
