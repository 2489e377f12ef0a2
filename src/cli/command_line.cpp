#include "command_line.h"

#include <CLI/CLI.hpp>

#include "berth/util/error.h"
#include "berth/util/suggest.h"

namespace berth::cli {

bool takes_value(const CLI::Option& option);

namespace {

bool is_option_word(const std::string& word) { return word.size() > 1 && word[0] == '-' && word != "--"; }

// How many words the option at args[i] takes up (itself and its value), or 0
// when `app` does not know it. "-dT" is two flags, "-uroot" an option with
// its value; "--user=root" carries its value too.
std::size_t option_width(const CLI::App& app, const std::vector<std::string>& args, std::size_t i) {
  const std::string& word = args[i];
  bool has_next = i + 1 < args.size();
  if (word.starts_with("--")) {
    auto equals = word.find('=');
    const CLI::Option* option = app.get_option_no_throw(word.substr(0, equals));
    if (!option) return 0;
    return takes_value(*option) && equals == std::string::npos && has_next ? 2 : 1;
  }
  for (std::size_t c = 1; c < word.size(); ++c) {
    const CLI::Option* option = app.get_option_no_throw(std::string{'-', word[c]});
    if (!option) return 0;
    if (takes_value(*option)) return c + 1 == word.size() && has_next ? 2 : 1;
  }
  return 1;
}

[[noreturn]] void unknown_command(const CLI::App& app, const std::string& word) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands({}))
    if (!command->get_name().starts_with("_")) names.push_back(command->get_name());
  std::string message = "unknown command \"" + word + "\"";
  if (std::string closest = closest_name(word, names); !closest.empty())
    message += " (did you mean \"" + closest + "\"?)";
  throw Error(ErrorKind::Usage, message + "\nRun 'berth --help' for the list of commands.");
}

// exec and run: their options, then the service, then the command.
void check_command_options(const CLI::App& command, std::vector<std::string>& args, std::size_t first) {
  for (std::size_t i = first; i < args.size();) {
    if (args[i] == "--") return;  // the service and the command follow, as CLI11 reads them
    if (!is_option_word(args[i])) {
      // The service: nothing after it is berth's. CLI11 takes the words
      // after "--" as positionals, and a command's (prefix_command) once
      // the service is read, whatever they look like.
      args.insert(args.begin() + static_cast<std::ptrdiff_t>(i), "--");
      return;
    }
    std::size_t width = option_width(command, args, i);
    if (width == 0)
      throw Error(ErrorKind::Usage, "unknown flag: " + args[i] + " (`berth " + command.get_name() +
                                        "` takes its options before the service; run 'berth " +
                                        command.get_name() + " --help')");
    i += width;
  }
}

}  // namespace

std::vector<std::string> command_words(const CLI::App& command) {
  std::vector<std::string> words = command.remaining();
  // CLI11 keeps the "--" checked_arguments put before the service.
  if (!words.empty() && words.front() == "--") words.erase(words.begin());
  return words;
}

bool takes_value(const CLI::Option& option) { return option.get_items_expected_max() > 0; }  // flags expect 0

std::vector<std::string> checked_arguments(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::size_t i = 0;
  while (i < args.size() && is_option_word(args[i])) {
    // An unknown global flag is left to CLI11, which names it.
    std::size_t width = option_width(app, args, i);
    i += width == 0 ? 1 : width;
  }
  if (i >= args.size()) return args;
  const CLI::App* command = nullptr;
  for (const CLI::App* candidate : app.get_subcommands({}))
    if (candidate->check_name(args[i])) command = candidate;
  if (!command) unknown_command(app, args[i]);
  if (command->get_name() == "exec" || command->get_name() == "run") check_command_options(*command, args, i + 1);
  return args;
}

}  // namespace berth::cli
