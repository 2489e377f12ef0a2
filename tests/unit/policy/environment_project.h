#pragma once
// A project directory with a compose file that defines x-berth
// environments, for the tests of environments and of the policy options
// they choose.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>

#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"
#include "berth/model/project.h"
#include "berth/util/error.h"

namespace berth::testing {

// A project directory with files; removed when the test ends.
class ProjectDir {
 public:
  ProjectDir() {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("berth-env-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  ~ProjectDir() { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(dir_ / name) << text; }
  berth::loader::ProjectOptions options(std::optional<std::string> environment) const {
    berth::loader::ProjectOptions o;
    o.working_dir = dir_.string();
    o.files.push_back((dir_ / "compose.yaml").string());
    o.project_name = "t";
    o.environment = std::move(environment);
    return o;
  }
  berth::model::Project load(std::optional<std::string> environment) const {
    berth::loader::Diagnostics diagnostics;
    return berth::loader::load(options(std::move(environment)), diagnostics);
  }

 private:
  std::filesystem::path dir_;
};

inline const char* kCompose = R"(services:
  app:
    image: busybox
    environment:
      GREETING: ${GREETING:-none}
  debug:
    image: busybox
    profiles: [dev]
    labels:
      not.for.prod: "true"
x-berth:
  environments:
    dev: {files: [dev.yml], profiles: [dev], env_file: .env.dev}
    prod: {security: strict, forbid_labels: [not.for.prod]}
    bare:
)";

inline std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const berth::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace berth::testing
