#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"

namespace berth::cli {

void register_version(CLI::App& app, CommandContext& /*ctx*/) {
  auto* cmd = app.add_subcommand("version", "Show the berth version information");
  auto format = std::make_shared<std::string>("pretty");
  auto short_flag = std::make_shared<bool>(false);
  cmd->add_option("-f,--format", *format, "Format the output")
      ->check(CLI::IsMember({"pretty", "json"}));
  cmd->add_flag("--short", *short_flag, "Shows only berth's version number");
  cmd->callback([format, short_flag] {
    if (*short_flag) {
      std::cout << BERTH_VERSION << "\n";
      return;
    }
    std::cout << "berth version v" << BERTH_VERSION << "\n";
  });
}

}  // namespace berth::cli
