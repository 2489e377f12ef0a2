#include "loader/include.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "loader/extends.h"
#include "berth/loader/load.h"
#include "loader/merge.h"
#include "berth/loader/project_options.h"
#include "loader/yaml_reader.h"
#include "berth/model/project.h"

using berth::loader::Node;

namespace {

const std::string data_dir = BERTH_TEST_DATA_DIR "/loader/merge/include";

// Reads `dir/file` and resolves its extends and includes the way load() does.
Node load(const std::string& dir, const std::string& file = "compose.yaml",
          berth::loader::Environment environment = {}) {
  const std::string project = data_dir + "/" + dir;
  const std::string path = project + "/" + file;
  berth::loader::Diagnostics diagnostics;
  auto read = berth::loader::make_document_reader(environment, diagnostics);
  Node doc = read(path);
  berth::loader::resolve_extends(doc, path, read);
  berth::loader::IncludeContext context{environment, &diagnostics, true, {path}};
  berth::loader::resolve_includes(doc, path, project, context);
  return berth::loader::merge_all({doc});
}

const Node& at(const Node& doc, const std::vector<std::string>& keys) {
  const Node* n = &doc;
  for (const auto& k : keys) {
    INFO("key " << k);
    REQUIRE(n->is_mapping());
    n = n->find(k);
    REQUIRE(n);
  }
  return *n;
}

}  // namespace

TEST_CASE("include loads a project with its own directory and .env", "[loader][include]") {
  Node doc = load("basic");
  const std::string lib = data_dir + "/basic/lib";
  CHECK(doc.find("include") == nullptr);
  CHECK(at(doc, {"services", "web", "image"}).text() == "web");

  struct Expectation {
    std::vector<std::string> path;
    std::string text;
  };
  const std::vector<Expectation> expectations = {
      {{"services", "db", "image"}, "postgres:16"},
      {{"services", "db", "env_file"}, lib + "/db.env"},
      {{"services", "db", "build"}, lib + "/ctx"},
      {{"services", "worker", "image"}, "base:16"},
      {{"services", "worker", "user"}, "app"},
      {{"secrets", "token", "file"}, lib + "/token.txt"},
  };
  for (const auto& e : expectations) {
    INFO(e.path.back());
    CHECK(at(doc, e.path).text() == e.text);
  }
  const Node& volumes = at(doc, {"services", "db", "volumes"});
  REQUIRE(volumes.items().size() == 2);
  CHECK(volumes.items()[0].text() == lib + "/data:/var/lib/postgresql/data");
  CHECK(volumes.items()[1].text() == "dbdata:/backup");
  CHECK(doc.find("networks")->find("backend"));
  CHECK(doc.find("volumes")->find("dbdata"));
  CHECK(at(doc, {"services", "db", "image"}).mark().file == lib + "/compose.yaml");
}

TEST_CASE("include: the including project's environment wins over the included .env", "[loader][include]") {
  Node doc = load("basic", "compose.yaml", {{"DB_TAG", "15"}});
  CHECK(at(doc, {"services", "db", "image"}).text() == "postgres:15");
}

TEST_CASE("include long form: several paths, project_directory, env_file", "[loader][include]") {
  Node doc = load("long");
  const Node& api = at(doc, {"services", "api"});
  CHECK(at(api, {"build"}).text() == data_dir + "/long/svc");
  REQUIRE(at(api, {"ports"}).items().size() == 1);
  CHECK(at(api, {"ports"}).items()[0].text() == "8081:8080");
  CHECK(at(api, {"environment"}).items()[0].text() == "MODE=dev");
}

TEST_CASE("include is recursive, each level relative to its own directory", "[loader][include]") {
  Node doc = load("nested");
  CHECK(at(doc, {"services", "leaf", "build"}).text() == data_dir + "/nested/leaf/app");
  CHECK(at(doc, {"services", "mid", "env_file"}).text() == data_dir + "/nested/mid/mid.env");
}

TEST_CASE("include accepts a resource defined identically twice", "[loader][include]") {
  Node doc = load("same");
  CHECK(doc.find("services")->size() == 2);
  CHECK(doc.find("networks")->size() == 1);
}

TEST_CASE("include errors", "[loader][include]") {
  struct ErrorCase {
    const char* name;
    const char* dir;
    const char* file;
    std::vector<std::string> fragments;
  };
  const std::string d = data_dir;
  const std::vector<ErrorCase> cases = {
      {"cycle", "cycle", "a.yaml",
       {d + "/cycle/b.yaml:2:5: include cycle: ", d + "/cycle/a.yaml -> " + d + "/cycle/b.yaml -> " + d + "/cycle/a.yaml"}},
      {"conflicting service", "conflict", "compose.yaml",
       {d + "/conflict/compose.yaml:2:5: services.db included from " + d + "/conflict/lib.yaml:2:3",
        "conflicts with services.db defined at " + d + "/conflict/compose.yaml:4:3"}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    try {
      load(c.dir, c.file);
      FAIL("no error");
    } catch (const berth::Error& e) {
      CHECK(e.kind() == berth::ErrorKind::Config);
      for (const auto& fragment : c.fragments) CHECK_THAT(e.what(), Catch::Contains(fragment));
    }
  }
}

TEST_CASE("include: malformed entries", "[loader][include]") {
  struct ErrorCase {
    const char* name;
    const char* yaml;
    const char* message;
  };
  const std::vector<ErrorCase> cases = {
      {"not a list", "include: lib.yaml\n", "main.yaml:1:10: include must be a list"},
      {"unknown attribute", "include:\n  - path: a.yaml\n    paths: b\n",
       "main.yaml:3:5: include: unknown attribute \"paths\""},
      {"no path", "include:\n  - project_directory: x\n", "main.yaml:2:5: include requires \"path\""},
      {"entry is a list", "include:\n  - [a.yaml]\n", "main.yaml:2:5: include entries must be a path"},
      {"missing file", "include:\n  - nope.yaml\n", "main.yaml:2:5: cannot read included file: "},
      {"missing env_file", "include:\n  - path: basic/lib/compose.yaml\n    env_file: nope.env\n",
       "main.yaml:2:5: include: couldn't find env file: "},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Node doc = berth::loader::read_yaml(c.yaml, "main.yaml");
    berth::loader::IncludeContext context;
    try {
      berth::loader::resolve_includes(doc, data_dir + "/main.yaml", data_dir, context);
      FAIL("no error");
    } catch (const berth::Error& e) {
      CHECK_THAT(e.what(), Catch::Contains(c.message));
    }
  }
}

TEST_CASE("include: empty include is removed", "[loader][include]") {
  Node doc = berth::loader::read_yaml("include:\nservices: {a: {image: x}}\n", "main.yaml");
  berth::loader::resolve_includes(doc, "/p/main.yaml", "/p", {});
  CHECK(doc.find("include") == nullptr);
  CHECK(doc.find("services"));
}

TEST_CASE("include: a diamond of includes is bounded, not exponential", "[loader][include]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("berth-include-diamond-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (int i = 0; i < 30; ++i) {
    std::string name = "l";
    name.append(std::to_string(i)).append(".yaml");
    std::ofstream out(dir / name);
    out << "services:\n  s" << i << ": {image: x}\n";
    if (i + 1 < 30) out << "include:\n  - l" << i + 1 << ".yaml\n  - l" << i + 1 << ".yaml\n";
  }
  Node doc = berth::loader::read_yaml("include: [l0.yaml]\n", (dir / "main.yaml").string());
  CHECK_THROWS_WITH(berth::loader::resolve_includes(doc, (dir / "main.yaml").string(), dir.string(), {}),
                    Catch::Contains("more than 1000 included files in total"));
  fs::remove_all(dir);
}

namespace {

nlohmann::json load_pipeline_project() {
  const std::string dir = BERTH_TEST_DATA_DIR "/loader/merge/pipeline";
  berth::loader::ProjectOptions options;
  options.files = {dir + "/compose.yaml", dir + "/override.yaml"};
  options.working_dir = dir;
  berth::loader::Diagnostics diagnostics;
  return berth::loader::load(options, diagnostics).to_json();
}

}  // namespace

// The merge stage through the whole loader: include, extends from another
// file, and an override file using !reset/!override and short vs long forms.
TEST_CASE("load(): include, extends and override files together", "[loader][include][merge]") {
  const std::string lib = BERTH_TEST_DATA_DIR "/loader/merge/pipeline/lib";
  const nlohmann::json project = load_pipeline_project();
  const auto& services = project.at("services");
  CHECK(services.at("db").at("image") == "postgres:16");
  CHECK(services.at("db").at("volumes").at(0).at("source") == lib + "/pgdata");
  CHECK(services.at("worker").at("build").at("context") == lib + "/job");
  // lib/job.env, found relative to the extended file and merged into environment.
  CHECK(services.at("worker").at("environment").at("FROM_JOB_ENV") == "1");
  CHECK(!services.at("worker").contains("env_file"));
  CHECK(services.at("worker").at("depends_on").contains("db"));
  const auto& api = services.at("api");
  CHECK(api.at("environment") == nlohmann::json({{"A", "1"}, {"B", "3"}, {"C", "4"}}));
  REQUIRE(api.at("ports").size() == 1);
  CHECK(api.at("ports").at(0).at("published") == "9090");
  REQUIRE(api.at("volumes").size() == 1);
  CHECK(api.at("volumes").at(0).at("source") == "apidata");
}

// compose-go resolves extends per file before the override files are merged,
// so `!reset` in an extending service applies to what it extends, whichever
// order load() resolves extends and merges in.
TEST_CASE("load(): !reset in an extending service of a layered project", "[loader][extends]") {
  const nlohmann::json project = load_pipeline_project();
  CHECK_FALSE(project.at("services").at("web").contains("ports"));
}
