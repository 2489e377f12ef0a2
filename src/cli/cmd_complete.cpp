// `berth __complete WORDS...`: what the shell scripts in completions/ offer
// (the protocol is in completion.h). Hidden from help. It reads the compose
// files the typed words point at, never the engine, and prints nothing on
// stderr: a half-typed command line is no reason for noise.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "berth/service/project_names.h"
#include "app.h"
#include "completion.h"

namespace berth::cli {
namespace {

void silence_stderr() {
  int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd < 0) return;
  ::dup2(null_fd, STDERR_FILENO);
  ::close(null_fd);
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
      std::cout << format_completion(complete_command_line(*root, *words, service::project_names));
    } catch (...) {
      // Completion prints nothing rather than an error.
    }
  });
}

}  // namespace berth::cli
