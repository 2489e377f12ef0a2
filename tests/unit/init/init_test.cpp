// berth init: what it detects in a directory and what its templates say.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "berth/init/detect.h"
#include "berth/init/templates.h"
#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"
#include "berth/model/project.h"
#include "policy/dockerfile_rules.h"
#include "berth/util/error.h"

namespace fs = std::filesystem;
using namespace berth::init;

namespace {

using Files = std::vector<std::pair<std::string, std::string>>;  // name, content

// A fresh directory holding the given files.
struct ProjectDir {
  fs::path path;
  explicit ProjectDir(const Files& files) {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() / ("berth-init-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(counter++));
    fs::create_directories(path);
    for (const auto& [name, content] : files) std::ofstream(path / name) << content;
  }
  ~ProjectDir() { fs::remove_all(path); }
  void write(const std::vector<ProjectFile>& files) const {
    for (const auto& f : files) std::ofstream(path / f.path) << f.content;
  }
};

const ProjectFile& file(const std::vector<ProjectFile>& files, const std::string& name) {
  for (const auto& f : files)
    if (f.path == name) return f;
  FAIL("no " << name);
  throw;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("init detects a Python app and guesses its entry script", "[init]") {
  SECTION("requirements.txt and app.py") {
    ProjectDir dir({{"requirements.txt", ""}, {"app.py", ""}, {"util.py", ""}});
    auto d = detect(dir.path);
    CHECK(d.kind == AppKind::Python);
    CHECK(d.entry == "app.py");
    CHECK(d.requirements_txt);
    CHECK_FALSE(d.pyproject_toml);
    CHECK(d.evidence == std::vector<std::string>{"requirements.txt", "app.py"});
  }
  SECTION("manage.py wins over app.py") {
    ProjectDir dir({{"manage.py", ""}, {"app.py", ""}});
    CHECK(detect(dir.path).entry == "manage.py");
  }
  SECTION("the only script, with pyproject.toml") {
    ProjectDir dir({{"pyproject.toml", "[project]\nname='x'\n"}, {"serve_it.py", ""}, {"setup.py", ""}});
    auto d = detect(dir.path);
    CHECK(d.entry == "serve_it.py");
    CHECK(d.pyproject_toml);
  }
  SECTION("--entry overrides the guess") {
    ProjectDir dir({{"app.py", ""}, {"other.py", ""}});
    CHECK(detect(dir.path, "other.py").entry == "other.py");
    CHECK_THROWS_WITH(detect(dir.path, "missing.py"), Catch::Contains("--entry missing.py"));
  }
  SECTION("requirements but no entry script is an error that names --entry") {
    ProjectDir dir({{"requirements.txt", ""}, {"a.py", ""}, {"b.py", ""}});
    CHECK_THROWS_WITH(detect(dir.path), Catch::Contains("--entry FILE"));
  }
}

TEST_CASE("init detects a static site and refuses an unknown directory", "[init]") {
  ProjectDir site({{"index.html", "<h1>hi</h1>"}, {"style.css", ""}});
  auto d = detect(site.path);
  CHECK(d.kind == AppKind::Static);
  CHECK(d.entry == "index.html");

  ProjectDir empty(Files{{"README.md", ""}});
  CHECK_THROWS_AS(detect(empty.path), berth::Error);
  CHECK_THROWS_WITH(detect(empty.path), Catch::Contains("index.html"));
}

TEST_CASE("init's Python Dockerfile builds wheels in a builder stage and runs as a fixed non-root UID", "[init]") {
  Detection d;
  d.kind = AppKind::Python;
  d.entry = "app.py";
  d.requirements_txt = true;
  d.evidence = {"requirements.txt", "app.py"};
  auto files = render(d, {});
  const auto& dockerfile = file(files, "Dockerfile").content;
  CHECK(contains(dockerfile, "ARG BASE_IMAGE=python:3.11-slim"));
  CHECK(contains(dockerfile, "FROM ${BASE_IMAGE} AS builder"));
  CHECK(contains(dockerfile, "pip wheel"));
  CHECK(contains(dockerfile, "useradd --system --uid 10001"));
  CHECK(contains(dockerfile, "USER app"));
  CHECK(contains(dockerfile, R"(CMD ["python3", "app.py"])"));
  // Dependencies before code: requirements are copied and installed before `COPY . .`.
  CHECK(dockerfile.find("COPY requirements.txt") < dockerfile.find("COPY . ."));
  CHECK(dockerfile.find("COPY --from=builder /deps") < dockerfile.find("COPY . ."));
  // The final stage installs nothing: no pip, no compiler after the last FROM.
  auto final_stage = dockerfile.substr(dockerfile.rfind("FROM "));
  CHECK_FALSE(contains(final_stage, "pip"));
  CHECK_FALSE(contains(final_stage, "apt-get"));
  CHECK(berth::policy::check_dockerfile(dockerfile, "Dockerfile", "app").empty());

  CHECK(file(files, "docker-entrypoint.sh").executable);
  CHECK(contains(file(files, "docker-entrypoint.sh").content, "case \"${APP_ENV:-production}\" in"));
  CHECK(contains(file(files, ".dockerignore").content, ".env\n"));
}

TEST_CASE("init without dependencies writes no builder stage and takes pyproject dependencies through tomllib", "[init]") {
  Detection d;
  d.entry = "main.py";
  CHECK_FALSE(contains(file(render(d, {}), "Dockerfile").content, "AS builder"));
  d.pyproject_toml = true;
  auto dockerfile = file(render(d, {}), "Dockerfile").content;
  CHECK(contains(dockerfile, "COPY pyproject.toml ./"));
  CHECK(contains(dockerfile, "tomllib"));
  d.entry = "manage.py";
  CHECK(contains(file(render(d, {"", 9000}), "Dockerfile").content,
                 R"(CMD ["python3", "manage.py", "runserver", "0.0.0.0:9000"])"));
}

TEST_CASE("init's base image and port options reach the Dockerfile and compose.yaml", "[init]") {
  Detection d;
  d.entry = "app.py";
  auto files = render(d, {"berth-local/python:3.11", 5000});
  CHECK(contains(file(files, "Dockerfile").content, "ARG BASE_IMAGE=berth-local/python:3.11"));
  CHECK(contains(file(files, "compose.yaml").content, "BASE_IMAGE: ${BERTH_PYTHON_IMAGE:-berth-local/python:3.11}"));
  CHECK(contains(file(files, "compose.yaml").content, R"("127.0.0.1:${APP_PORT:-5000}:5000")"));
  CHECK(contains(file(files, "compose.yaml").content, R"(PORT: "5000")"));
}

TEST_CASE("init's compose files load and the dev environment adds the mount and the user and the sidecar", "[init]") {
  for (AppKind kind : {AppKind::Python, AppKind::Static}) {
    Detection d;
    d.kind = kind;
    d.entry = kind == AppKind::Python ? "app.py" : "index.html";
    ProjectDir dir(Files{{d.entry, ""}});
    auto files = render(d, {});
    dir.write(files);
    CAPTURE(to_string(kind));
    CHECK(berth::policy::check_dockerfile(file(files, "Dockerfile").content, "Dockerfile", "x").empty());

    berth::loader::ProjectOptions options;
    options.working_dir = dir.path.string();
    options.files = {(dir.path / "compose.yaml").string()};
    options.project_name = "t";
    berth::loader::Diagnostics diagnostics;
    auto plain = berth::loader::load(options, diagnostics);
    REQUIRE(plain.services.size() == 1);
    CHECK(plain.services[0].name == service_name(kind));

    options.environment = "dev";
    auto dev = berth::loader::load(options, diagnostics);
    REQUIRE(dev.services.size() == 2);
    for (const auto& s : dev.services) {
      CAPTURE(s.name);
      CHECK(s.json->contains("user"));
      CHECK(s.json->contains("volumes"));
    }
  }
}
