#include "canonical_paths.h"

#include <cstdlib>
#include <vector>

namespace berth::loader {

std::string clean_path(const std::string& path) {
  if (path.empty()) return ".";
  bool absolute = path.front() == '/';
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part.empty() || part == ".") {
    } else if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!absolute) parts.push_back(part);
    } else {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += "/";
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

std::string home_directory(const std::string& configured) {
  if (!configured.empty()) return configured;
  const char* home = std::getenv("HOME");
  return home && *home ? home : "/";
}

std::string resolve_path(const std::string& path, const std::string& base, const std::string& home) {
  if (path == "~") return clean_path(home);
  if (path.starts_with("~/")) return clean_path(home + path.substr(1));
  // compose-go keeps an absolute path as written (`/etc/pihole/` keeps its
  // slash); only a relative one is joined, and so cleaned, as Go's
  // filepath.Join does.
  if (!path.empty() && path.front() == '/') return path;
  return clean_path(base + "/" + path);
}

bool is_remote_context(const std::string& context) {
  return context.find("://") != std::string::npos || context.starts_with("git@") ||
         context.starts_with("github.com/") || context.starts_with("service:");
}

}  // namespace berth::loader
