// compose's interpolation: $VAR, ${VAR}, defaults, alternates, required
// values with messages, nesting, $$.
#include <map>

#include "berth/loader/diagnostics.h"
#include "fuzz_target.h"
#include "loader/interpolation.h"

BERTH_FUZZ_TARGET(interpolation) {
  static const std::map<std::string, std::string> variables = {{"A", "1"}, {"EMPTY", ""}, {"NESTED", "${A}"}};
  auto lookup = [](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
  berth::loader::Diagnostics diagnostics;
  berth::fuzz::fuzz_guard(
      [&] { berth::loader::interpolate_string(input, lookup, "services.web.image", {}, &diagnostics); });
}
