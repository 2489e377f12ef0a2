#pragma once
// A compose project in a temporary directory for the lifecycle end-to-end
// tests: runs berth on it with a unique project name and plain progress,
// inspects what the engine really has, and always tears everything down
// (containers, networks, volumes by label, and the anonymous volumes its
// containers had) when the test ends.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "berth/engine/docker_engine.h"
#include "berth/model/labels.h"
#include "child_signals.h"
#include "e2e_support.h"

extern char** environ;

namespace berth::e2e {

class Stack {
 public:
  Stack(const std::string& hint, const std::string& compose_yaml)
      : project_(unique_name(hint)),
        dir_(std::filesystem::temp_directory_path() / project_),
        engine_(engine::DockerEngine::from_environment()) {
    std::filesystem::create_directories(dir_);
    write(compose_yaml);
  }
  ~Stack() {
    try {
      remember_anonymous_volumes();
      run_berth({"-p", project_, "down", "-v", "-t", "0", "--remove-orphans"});
      force_cleanup();
      for (const auto& v : anonymous_volumes_) {
        try {
          engine_->remove_volume(v, true);
        } catch (...) {
          // removed with its container by `down -v` already
        }
      }
      std::filesystem::remove_all(dir_);
    } catch (...) {
    }
  }
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  const std::string& project() const { return project_; }
  std::string file() const { return (dir_ / "compose.yaml").string(); }
  const std::filesystem::path& dir() const { return dir_; }
  engine::DockerEngine& engine() { return *engine_; }

  void write(const std::string& compose_yaml) {
    std::ofstream(dir_ / "compose.yaml", std::ios::trunc) << compose_yaml;
  }

  // berth -f <file> -p <project> --progress plain <args...>
  std::vector<std::string> argv(const std::vector<std::string>& args) const {
    std::vector<std::string> out = {BERTH_BINARY, "-f", file(), "-p", project_, "--progress", "plain"};
    out.insert(out.end(), args.begin(), args.end());
    return out;
  }
  CommandResult berth(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) const {
    remember_anonymous_volumes();
    auto full = argv(args);
    auto result = run_command(full, "", env);
    // Shown with the next assertion only if that one fails: a REQUIRE on the
    // exit code then says why berth failed.
    if (result.exit_code != 0)
      UNSCOPED_INFO("berth " << (args.empty() ? "" : args.front()) << " exited " << result.exit_code << ": "
                             << result.err);
    return result;
  }

  std::vector<engine::ContainerSummary> containers(bool all = true) {
    engine::ListContainersOptions options;
    options.all = all;
    options.filters["label"] = {std::string(model::labels::kProject) + "=" + project_};
    return engine_->list_containers(options);
  }
  // service -> container ids
  std::map<std::string, std::vector<std::string>> ids_by_service(bool all = true) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& c : containers(all)) out[c.labels.at(model::labels::kService)].push_back(c.id);
    for (auto& [_, ids] : out) std::sort(ids.begin(), ids.end());
    return out;
  }
  // container name -> state ("running", "exited", "created", "paused")
  std::map<std::string, std::string> states() {
    std::map<std::string, std::string> out;
    for (const auto& c : containers()) out[c.names.empty() ? c.id : c.names.front().substr(1)] = c.state;
    return out;
  }
  std::string container(const std::string& service, int number = 1) const {
    return project_ + "-" + service + "-" + std::to_string(number);
  }
  std::set<std::string> volumes() {
    std::set<std::string> out;
    for (const auto& v : engine_->list_volumes({{"label", {std::string(model::labels::kProject) + "=" + project_}}}))
      out.insert(v.name);
    return out;
  }
  bool volume_exists(const std::string& name) {
    for (const auto& v : engine_->list_volumes({{"name", {name}}}))
      if (v.name == name) return true;
    return false;
  }
  std::set<std::string> networks() {
    std::set<std::string> out;
    for (const auto& n : engine_->list_networks({{"label", {std::string(model::labels::kProject) + "=" + project_}}}))
      out.insert(n.name);
    return out;
  }

  // A command run without -v (rm, down) leaves its containers' anonymous
  // volumes behind, as docker compose does; the test must not, so they are
  // noted before every command and at the end.
  void remember_anonymous_volumes() const {
    engine::ListContainersOptions options;
    options.all = true;
    options.filters["label"] = {std::string(model::labels::kProject) + "=" + project_};
    std::vector<engine::ContainerSummary> found;
    try {
      found = engine_->list_containers(options);
    } catch (...) {
      return;  // the engine is away (an engine-restart test): nothing to note now
    }
    for (const auto& c : found) {
      try {
        nlohmann::json inspect = engine_->inspect_container(c.id);
        for (const auto& mount : inspect.value("Mounts", nlohmann::json::array())) {
          std::string name = mount.value("Name", "");
          bool anonymous = name.size() == 64 && name.find_first_not_of("0123456789abcdef") == std::string::npos;
          if (mount.value("Type", "") == "volume" && anonymous) anonymous_volumes_.insert(name);
        }
      } catch (...) {
        // removed meanwhile: its volumes were noted before, or went with it
      }
    }
  }

  void force_cleanup() {
    for (const auto& c : containers()) {
      try {
        engine_->remove_container(c.id, {true, true});
      } catch (...) {
      }
    }
    for (const auto& n : networks()) {
      try {
        engine_->remove_network(n);
      } catch (...) {
      }
    }
    for (const auto& v : volumes()) {
      try {
        engine_->remove_volume(v, true);
      } catch (...) {
      }
    }
    // Images its builds made, the ones a rebuild replaced included (they
    // carry the project's label).
    try {
      engine::ListImagesOptions options;
      options.all = true;
      options.filters["label"] = {std::string(model::labels::kProject) + "=" + project_};
      for (const auto& image : engine_->list_images(options)) {
        try {
          engine_->remove_image(image.id, {.force = true});
        } catch (...) {
        }
      }
    } catch (...) {
    }
  }

 private:
  std::string project_;
  std::filesystem::path dir_;
  std::unique_ptr<engine::DockerEngine> engine_;
  mutable std::set<std::string> anonymous_volumes_;
};

// A berth run in the background, for signals and concurrency; output goes to files.
class BackgroundRun {
 public:
  BackgroundRun(const std::vector<std::string>& argv, const std::filesystem::path& output_prefix)
      : out_path_(output_prefix.string() + ".out"), err_path_(output_prefix.string() + ".err") {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const ChildSignals child_signals;
    if (posix_spawn(&pid_, args[0], &actions, child_signals.get(), args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~BackgroundRun() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  void signal(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  // The exit code, or 128 + signal.
  int wait() {
    if (pid_ <= 0) return -1;
    if (!waited_) {
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      waited_ = true;
      code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return code_;
  }
  std::string err() const { return slurp(err_path_); }
  std::string out() const { return slurp(out_path_); }

 private:
  static std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  pid_t pid_ = -1;
  bool waited_ = false;
  int code_ = -1;
  std::string out_path_, err_path_;
};

// `services` services named s0..s{n-1}, each busybox sleeping, stopping fast.
inline std::string sleeping_services(int n, const std::string& extra = "") {
  std::string yaml = "services:\n";
  for (int i = 0; i < n; ++i)
    yaml += "  s" + std::to_string(i) + ":\n    image: " + busybox_image() +
            "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" + extra;
  return yaml;
}

// Polls `condition` every 100 ms until it holds (true) or `seconds` pass (false).
inline bool eventually(const std::function<bool()>& condition, int seconds = 60) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace berth::e2e
