#pragma once
// A compose project under test, run with a unique project name: every berth
// call gets the same -f/-p flags and environment, and the end of the test
// removes its containers, volumes and the images it built, pass or fail.
#include <unistd.h>

#include <string>
#include <vector>

#include "e2e_support.h"

namespace berth::e2e {

// The variables that make examples and `berth init` projects use the local
// base images (scripts/setup.sh, scripts/base_images.sh) instead of a registry.
inline std::vector<std::string> offline_base_images() {
  return {"BERTH_PYTHON_IMAGE=berth-local/python:3.11", "BERTH_REDIS_IMAGE=berth-local/redis:7",
          "BERTH_BUSYBOX_IMAGE=berth-local/busybox:latest"};
}

// A loopback port unlikely to be taken: per process, plus an offset per test,
// below Linux's ephemeral range (32768-) where any outgoing connection, the
// engine's own included, may hold it.
inline std::string test_port(int offset) { return std::to_string(20000 + (getpid() * 7 + offset) % 12000); }

struct ExampleStack {
  std::vector<std::string> files;
  std::vector<std::string> env;
  std::string project;

  ExampleStack(std::vector<std::string> compose_files, std::vector<std::string> extra_env, const std::string& hint)
      : files(std::move(compose_files)), env(offline_base_images()), project(unique_name(hint)) {
    env.insert(env.end(), extra_env.begin(), extra_env.end());
  }
  ExampleStack(const ExampleStack&) = delete;
  ExampleStack& operator=(const ExampleStack&) = delete;

  CommandResult berth(const std::vector<std::string>& args) const {
    std::vector<std::string> full;
    for (const auto& f : files) full.insert(full.end(), {"-f", f});
    full.insert(full.end(), {"-p", project, "--progress", "plain"});
    full.insert(full.end(), args.begin(), args.end());
    return run_berth(full, "", env);
  }

  // Images berth built for this project are named PROJECT-SERVICE.
  std::vector<std::string> built_images() const {
    auto out = run_command({"docker", "images", "-q", "--filter", "reference=" + project + "-*"}).out;
    std::vector<std::string> ids;
    for (size_t at = 0; at < out.size();) {
      size_t end = out.find('\n', at);
      if (end == std::string::npos) end = out.size();
      if (end > at) ids.push_back(out.substr(at, end - at));
      at = end + 1;
    }
    return ids;
  }

  ~ExampleStack() {
    // Every profile, so sidecars go too.
    berth({"--profile", "*", "down", "-v", "-t", "0", "--remove-orphans"});
    for (const auto& id : built_images()) run_command({"docker", "rmi", "-f", id});
  }
};

}  // namespace berth::e2e
