#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"
#include "berth/model/byte_sizes.h"
#include "berth/model/file_modes.h"
#include "berth/model/omit_empty.h"
#include "berth/model/output.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kCases = fs::path(BERTH_TEST_DATA_DIR) / "loader" / "cases";

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size())
    text.replace(pos, from.size(), to);
  return text;
}

berth::loader::ProjectOptions options_for(const fs::path& dir) {
  berth::loader::ProjectOptions options;
  options.working_dir = dir.string();
  options.files.push_back((dir / "compose.yaml").string());
  if (fs::exists(dir / "override.yaml")) options.files.push_back((dir / "override.yaml").string());
  if (fs::exists(dir / "options.json")) {
    json extra = json::parse(read_file(dir / "options.json"));
    for (const auto& p : extra.value("profiles", json::array())) options.profiles.push_back(p);
    options.all_resources = extra.value("all_resources", false);
    if (extra.contains("project_name")) options.project_name = extra["project_name"].get<std::string>();
  }
  return options;
}

// A file in a fresh temporary directory, removed with it.
struct TempFile {
  fs::path dir;
  fs::path path;
  TempFile(const std::string& name, const std::string& content) {
    dir = fs::temp_directory_path() / ("berth-load-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    path = dir / name;
    std::ofstream(path) << content;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("whole-file cases load to the expected canonical JSON", "[load]") {
  REQUIRE(fs::is_directory(kCases));
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(kCases)) {
    const fs::path dir = entry.path();
    const std::string name = dir.filename().string();
    INFO("case " << name);
    berth::loader::Diagnostics diagnostics;
    if (fs::exists(dir / "expected_error.txt")) {
      std::string expected = read_file(dir / "expected_error.txt");
      expected = replace_all(expected.substr(0, expected.find_last_not_of('\n') + 1), "${CASE_DIR}", dir.string());
      try {
        berth::loader::load(options_for(dir), diagnostics);
        FAIL("no error");
      } catch (const berth::Error& e) {
        CHECK_THAT(e.message(), Catch::Contains(expected));
      }
    } else {
      REQUIRE(fs::exists(dir / "expected.json"));
      json expected = json::parse(replace_all(read_file(dir / "expected.json"), "${CASE_DIR}", dir.string()));
      json got = berth::loader::load(options_for(dir), diagnostics).to_json();
      INFO(got.dump(2));
      CHECK(got == expected);
    }
    ++cases;
  }
  CHECK(cases >= 10);
}

TEST_CASE("config output loads back to the same project", "[load][roundtrip]") {
  const fs::path dir = kCases / "full";
  berth::loader::Diagnostics diagnostics;
  json first = berth::loader::load(options_for(dir), diagnostics).to_json();

  // Printed as `berth config` prints it: zero values left out, byte sizes as
  // decimal strings.
  json printed = first;
  berth::model::omit_zero_values(printed);
  berth::model::whole_floats_as_integers(printed);
  berth::model::byte_sizes_as_strings(printed);
  berth::model::file_modes_as_octal_strings(printed);
  CHECK(printed != first);  // the case has byte sizes and modes
  for (const std::string format : {"json", "yaml"}) {
    INFO(format);
    json as_json = printed;
    berth::model::unset_commands_as_null(as_json);
    std::string text = format == "json" ? berth::model::to_json_text(as_json) : berth::model::to_yaml(printed);
    TempFile file("config." + format, text);
    berth::loader::ProjectOptions again;
    again.files = {file.path.string()};
    again.project_directory = dir.string();
    again.working_dir = dir.string();
    again.profiles = {"full"};
    json second = berth::loader::load(again, diagnostics).to_json();
    // Zero values docker compose leaves out mean what their absence means.
    json expected = first;
    berth::model::omit_zero_values(expected);
    berth::model::omit_zero_values(second);
    INFO(json::diff(expected, second).dump());
    CHECK(second == expected);
  }
}

TEST_CASE("load options: no normalize adds no default network, named services enable profiles", "[load]") {
  const fs::path dir = kCases / "profiles";
  berth::loader::Diagnostics diagnostics;
  berth::loader::LoadOptions raw;
  raw.normalize = false;
  json doc = berth::loader::load(options_for(dir), diagnostics, raw).to_json();
  CHECK(doc["services"]["web"].is_object());
  CHECK_FALSE(doc.contains("networks"));

  berth::loader::LoadOptions named;
  named.services = {"debug"};
  auto project = berth::loader::load(options_for(dir), diagnostics, named);
  CHECK(project.find_service("debug") != nullptr);
  CHECK(project.disabled_services.empty());

  berth::loader::LoadOptions unknown;
  unknown.services = {"nope"};
  CHECK_THROWS_WITH(berth::loader::load(options_for(dir), diagnostics, unknown), Catch::Contains("no such service: nope"));
}

// compose-go's --no-normalize skips only Normalize: the canonical form,
// default values, paths and the environment are still applied.
TEST_CASE("load options: no normalize still gives the canonical form", "[load]") {
  TempFile file("compose.yaml",
                "services:\n  web:\n    image: busybox\n    ports: [\"8080:80\"]\n    volumes: [./src:/src]\n"
                "    secrets: [token]\n    env_file: [web.env]\n    links: [db]\n  db:\n    image: busybox\n"
                "secrets:\n  token:\n    file: ./token\n");
  std::ofstream(file.dir / "web.env") << "FROM_FILE=1\n";
  berth::loader::ProjectOptions options;
  options.files = {file.path.string()};
  options.working_dir = file.dir.string();
  berth::loader::Diagnostics diagnostics;
  berth::loader::LoadOptions raw;
  raw.normalize = false;
  json doc = berth::loader::load(options, diagnostics, raw).to_json();
  const json& web = doc["services"]["web"];
  CHECK(web["ports"][0]["target"] == 80);
  CHECK(web["ports"][0]["published"] == "8080");
  CHECK(web["volumes"][0]["source"] == (file.dir / "src").string());
  CHECK(web["secrets"][0]["target"] == "/run/secrets/token");
  CHECK(web["environment"]["FROM_FILE"] == "1");
  CHECK_FALSE(web.contains("networks"));    // no default network
  CHECK_FALSE(web.contains("depends_on"));  // no implicit dependency from links
  CHECK_FALSE(doc.contains("networks"));
  CHECK_FALSE(doc["secrets"]["token"].contains("name"));  // no resource names

  berth::loader::LoadOptions unresolved;
  unresolved.resolve_environment = false;
  doc = berth::loader::load(options, diagnostics, unresolved).to_json();
  CHECK(doc["services"]["web"]["env_file"][0]["path"] == (file.dir / "web.env").string());
  CHECK_FALSE(doc["services"]["web"].contains("environment"));
}

TEST_CASE("a string file mode is octal, an integer is taken as YAML reads it", "[load]") {
  TempFile file("compose.yaml",
                "services:\n  web:\n    image: busybox\n    secrets:\n"
                "      - {source: s, target: a, mode: \"440\"}\n      - {source: s, target: b, mode: 0440}\n"
                "      - {source: s, target: c, mode: 440}\n      - {source: s, target: d, mode: \"${MODE}\"}\n"
                "secrets:\n  s:\n    file: ./s\n");
  std::ofstream(file.dir / ".env") << "MODE=0600\n";
  berth::loader::ProjectOptions options;
  options.files = {file.path.string()};
  options.working_dir = file.dir.string();
  berth::loader::Diagnostics diagnostics;
  json secrets = berth::loader::load(options, diagnostics).to_json()["services"]["web"]["secrets"];
  CHECK(secrets[0]["mode"] == 0440);
  CHECK(secrets[1]["mode"] == 0440);
  CHECK(secrets[2]["mode"] == 440);
  CHECK(secrets[3]["mode"] == 0600);
}

TEST_CASE("obsolete version attribute is a warning", "[load]") {
  TempFile file("compose.yaml", "version: '3.8'\nservices:\n  a:\n    image: busybox\n");
  berth::loader::ProjectOptions options;
  options.files = {file.path.string()};
  options.working_dir = file.dir.string();
  berth::loader::Diagnostics diagnostics;
  json doc = berth::loader::load(options, diagnostics).to_json();
  CHECK_FALSE(doc.contains("version"));
  CHECK(diagnostics.contains("`version` is obsolete"));
}

TEST_CASE("schema errors carry file:line:col", "[load]") {
  TempFile file("compose.yaml", "services:\n  a:\n    image: busybox\n    ports: 80\n");
  berth::loader::ProjectOptions options;
  options.files = {file.path.string()};
  options.working_dir = file.dir.string();
  berth::loader::Diagnostics diagnostics;
  CHECK_THROWS_WITH(berth::loader::load(options, diagnostics),
                    Catch::Contains(file.path.string() + ":4:12: services.a.ports"));
}
