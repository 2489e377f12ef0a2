#include "berth/policy/level.h"

namespace berth::policy {

const char* to_string(Level level) {
  switch (level) {
    case Level::Compat: return "compat";
    case Level::Standard: return "standard";
    case Level::Strict: return "strict";
  }
  return "standard";
}

std::optional<Level> parse_level(const std::string& text) {
  if (text == "compat") return Level::Compat;
  if (text == "standard") return Level::Standard;
  if (text == "strict") return Level::Strict;
  return std::nullopt;
}

}  // namespace berth::policy
