#include "host_paths.h"

#include <array>

namespace berth::policy {
namespace {

// "/etc/" -> "/etc", "//etc/./" -> "/etc": enough for comparing, not a resolver.
std::string tidy(const std::string& path) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    size_t next = path.find('/', i);
    if (next == std::string::npos) next = path.size();
    std::string part = path.substr(i, next - i);
    if (!part.empty() && part != ".") out += "/" + part;
    i = next + 1;
  }
  return out.empty() ? "/" : out;
}

bool below(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

}  // namespace

bool is_engine_socket(const std::string& host_path) {
  std::string path = tidy(host_path);
  return path.ends_with("docker.sock") || path.ends_with("podman.sock") || path.ends_with("containerd.sock");
}

bool is_sensitive_host_path(const std::string& host_path, bool read_only) {
  static const std::array<const char*, 18> whole{
      "/",     "/etc",     "/proc", "/sys",     "/dev",      "/boot",           "/usr",
      "/lib",  "/lib64",   "/bin",  "/sbin",    "/root",     "/var",            "/var/lib",
      "/run",  "/var/run", "/var/lib/docker", "/var/lib/containerd"};
  static const std::array<const char*, 8> tree{"/etc",  "/proc",           "/sys",
                                               "/dev",  "/boot",           "/root",
                                               "/var/lib/docker", "/var/lib/containerd"};
  std::string path = tidy(host_path);
  for (const char* dir : whole)
    if (path == dir) return true;
  if (read_only) return false;
  for (const char* dir : tree)
    if (below(path, dir)) return true;
  return false;
}

}  // namespace berth::policy
