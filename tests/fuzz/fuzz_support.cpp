#include <vector>

#include "fuzz_target.h"

namespace berth::fuzz {

std::vector<std::string> split_parts(std::string_view input, size_t count) {
  std::vector<std::string> parts(count);
  size_t part = 0;
  size_t start = 0;
  while (part + 1 < count) {
    auto at = input.find("\n#~~~\n", start);
    if (at == std::string_view::npos) break;
    parts[part++] = std::string(input.substr(start, at + 1 - start));
    start = at + 6;
  }
  parts[part] = std::string(input.substr(start));
  return parts;
}

}  // namespace berth::fuzz
