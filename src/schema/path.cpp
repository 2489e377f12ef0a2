#include "berth/schema/validator.h"

#include "berth/util/strings.h"

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
  for (const auto& segment : path) append_json_pointer_token(out, segment);
  return out;
}

}  // namespace berth::schema
