// `berth __complete WORDS...`: what the shell scripts in completions/ offer
// (the protocol is in completion.h). Hidden from help. It reads the compose
// files the typed words point at, never the engine, and prints nothing on
// stderr: a half-typed command line is no reason for noise.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"
#include "cli/app.h"
#include "cli/completion.h"

namespace berth::cli {
namespace {

void silence_stderr() {
  int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd < 0) return;
  ::dup2(null_fd, STDERR_FILENO);
  ::close(null_fd);
}

ProjectNames load_project_names(const loader::ProjectOptions& typed) {
  auto project_options = typed;
  // --env on the line, else BERTH_ENV, as the command itself will see it.
  const char* env_variable = std::getenv("BERTH_ENV");
  if (!project_options.environment && env_variable && *env_variable) project_options.environment = env_variable;
  loader::Diagnostics quiet;
  loader::LoadOptions options;
  options.consistency = false;  // a half-finished file still has service names
  auto project = loader::load(project_options, quiet, options);

  ProjectNames names;
  std::set<std::string> profiles;
  for (const auto* list : {&project.services, &project.disabled_services}) {
    for (const auto& service : *list) {
      names.services.push_back(service.name);
      profiles.insert(service.profiles.begin(), service.profiles.end());
    }
  }
  std::sort(names.services.begin(), names.services.end());
  names.profiles.assign(profiles.begin(), profiles.end());
  const auto& extensions = *project.extensions;
  if (extensions.is_object() && extensions.contains("x-berth")) {
    const auto& x_berth = extensions["x-berth"];
    if (x_berth.is_object() && x_berth.contains("environments") && x_berth["environments"].is_object())
      for (const auto& [name, definition] : x_berth["environments"].items()) names.environments.push_back(name);
  }
  return names;
}

}  // namespace

void register_complete(CLI::App& app, CommandContext&) {
  auto* cmd = app.add_subcommand("__complete", "Print completion candidates for the shell scripts");
  cmd->group("");  // hidden from help and from completion itself
  cmd->allow_extras();
  auto words = std::make_shared<std::vector<std::string>>();
  cmd->add_option("words", *words, "The words after `berth`, the last one being completed (after --)");
  const CLI::App* root = &app;
  cmd->callback([root, words] {
    silence_stderr();
    try {
      std::cout << format_completion(complete_command_line(*root, *words, load_project_names));
    } catch (...) {
      // Completion prints nothing rather than an error.
    }
  });
}

}  // namespace berth::cli
