#pragma once
// compose's dotenv syntax (.env files, --env-file, env_file:):
//
//   # comment                      blank lines are ignored
//   KEY=value                      whitespace around key and value trimmed
//   export KEY=value               `export ` prefix allowed
//   KEY=value # comment            inline comment needs whitespace before #
//   KEY='literal ${X} \n'          single quotes: no escapes, no interpolation
//   KEY="a\tb ${X:-d}"             double quotes: \n \t \r \" \\ \$ escapes and
//                                  interpolation, may span several lines
//   KEY=${X}                       unquoted values are interpolated too
//   KEY                            no `=`: takes the value from `lookup`,
//                                  omitted when lookup has none
//
//   KEY: value                     yaml-style separator, like compose-go
//
// `${VAR}` sees `lookup` (the process environment, which wins over files)
// first, then the variables defined earlier in the same file, then
// `fallback` (e.g. earlier env files); unset variables expand to "" without
// a warning. Keys are [A-Za-z0-9_.]+.
// Errors: config_error with file:line.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::loader {

using DotenvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The variables in file order (a later duplicate replaces the earlier value
// in place).
std::vector<std::pair<std::string, std::string>> parse_dotenv(std::string_view content,
                                                              const std::string& file_name,
                                                              const DotenvLookup& lookup = {},
                                                              const DotenvLookup& fallback = {});

std::vector<std::pair<std::string, std::string>> read_dotenv_file(const std::string& path,
                                                                  const DotenvLookup& lookup = {},
                                                                  const DotenvLookup& fallback = {});

}  // namespace berth::loader
