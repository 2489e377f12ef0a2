#pragma once
// compose-spec interpolation of scalar VALUES (never keys):
//
//   $VAR  ${VAR}                 value, or "" with a warning when unset
//   ${VAR:-default} ${VAR-default}   default when unset-or-empty / unset
//   ${VAR:?error}  ${VAR?error}      error when unset-or-empty / unset
//   ${VAR:+replace} ${VAR+replace}   replacement when set-and-non-empty / set
//   $$                            a literal $
//
// Defaults, replacements and error texts are interpolated themselves, so
// `${A:-${B:-x}}` works. A `$` followed by neither `$`, `{` nor a name
// character stays literal (like compose-go). Malformed braces (`${`,
// `${VAR`, `${ VAR}`, `${VAR:x}`) are an error:
//   file:line:col: invalid interpolation format for services.web.image:
//   "${VAR"; you may need to escape any $ with another $
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/loader/environment.h"
#include "node.h"

namespace berth::loader {

class Diagnostics;

using VariableLookup = std::function<std::optional<std::string>(const std::string& name)>;

struct InterpolationResult {
  std::string text;
  bool substituted = false;  // some variable (or $$) was replaced
};

// Interpolates one string. `path` (dotted, e.g. "services.web.image") and
// `mark` are used in error messages; unset variables are warned about once
// each through `diagnostics` when it is given.
InterpolationResult interpolate_string(std::string_view text, const VariableLookup& lookup,
                                       const std::string& path = {}, const SourceMark& mark = {},
                                       Diagnostics* diagnostics = nullptr);

// Interpolates every scalar value of the tree in place and marks the changed
// ones interpolated(). Keys are left alone.
void interpolate(Node& root, const Environment& env, Diagnostics& diagnostics);
void interpolate(Node& root, const VariableLookup& lookup, Diagnostics& diagnostics);

// One use of a variable, for `berth config --variables`.
struct VariableUse {
  std::string name;
  bool required = false;                      // ${VAR:?err} / ${VAR?err}: unset is an error
  std::optional<std::string> default_value;   // from :- / -
  std::optional<std::string> alternate_value; // from :+ / +
  std::optional<std::string> error_message;   // from :? / ?
  std::string path;                           // dotted path of the value using it
  SourceMark mark;
};

// Every variable used by the scalar values of `root` (before interpolation),
// in document order, including variables nested in defaults. Malformed
// expressions throw like interpolate().
std::vector<VariableUse> list_variables(const Node& root);

}  // namespace berth::loader
