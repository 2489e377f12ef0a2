#pragma once
// The checks CLI11 cannot make on its own, done on the words before it
// parses them.
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}

namespace berth::cli {

// argv without the program name, checked and ready for CLI11:
// - an unknown command is an error whatever follows it (CLI11 alone would
//   print the top-level help for `berth nosuch --help` and exit 0);
// - `exec` and `run` take their own options only before the service: an
//   unknown one there is an error (not the first word of the command), and
//   every word after the service is the command's, options included.
// Throws berth::Error (Usage) naming the word.
std::vector<std::string> checked_arguments(const CLI::App& app, int argc, char** argv);

// The container command of exec or run: the words after the service.
std::vector<std::string> command_words(const CLI::App& command);

// Whether the option reads a value (a flag does not).
bool takes_value(const CLI::Option& option);

}  // namespace berth::cli
