// `berth help [COMMAND]`: the same text as `berth COMMAND --help`, as
// `docker compose help COMMAND` does.
#include <CLI/CLI.hpp>
#include <iostream>

#include "berth/util/error.h"
#include "app.h"

namespace berth::cli {

void register_help(CLI::App& app, CommandContext&) {
  auto* cmd = app.add_subcommand("help", "Help about any command");
  auto command = std::make_shared<std::string>();
  cmd->add_option("command", *command, "The command to describe (default: all commands)");
  const CLI::App* root = &app;
  cmd->callback([root, command] {
    if (command->empty()) {
      std::cout << root->get_formatter()->make_help(root, root->get_name(), CLI::AppFormatMode::Normal);
      return;
    }
    auto found = root->get_subcommands(
        [&](const CLI::App* sub) { return sub->get_name() == *command && !sub->get_group().empty(); });
    if (found.empty())
      throw Error(ErrorKind::Usage,
                  "unknown command \"" + *command + "\"\nRun 'berth --help' for the list of commands.");
    std::cout << found.front()->help(root->get_name());
  });
}

}  // namespace berth::cli
