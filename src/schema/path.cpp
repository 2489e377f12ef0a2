#include "berth/schema/validator.h"

namespace berth::schema {

std::string dotted_path(const Path& path) {
  if (path.empty()) return "(root)";
  std::string out;
  for (const auto& segment : path) {
    if (!out.empty()) out += '.';
    out += segment;
  }
  return out;
}

std::string json_pointer(const Path& path) {
  std::string out;
  for (const auto& segment : path) {
    out += '/';
    for (char c : segment) {
      if (c == '~')
        out += "~0";
      else if (c == '/')
        out += "~1";
      else
        out += c;
    }
  }
  return out;
}

}  // namespace berth::schema
