#include "policy/host_paths.h"

#include <catch2/catch.hpp>

TEST_CASE("engine sockets and sensitive host paths", "[policy]") {
  struct Case {
    const char* path;
    bool read_only;
    bool socket;
    bool sensitive;
  };
  const Case cases[] = {
      {"/var/run/docker.sock", false, true, false},
      {"/run/docker.sock", true, true, false},
      {"/home/me/.docker/run/docker.sock", false, true, false},
      {"/run/containerd/containerd.sock", false, true, false},
      {"/", true, false, true},
      {"/etc/", true, false, true},
      {"//etc/./", false, false, true},
      {"/proc", true, false, true},
      {"/sys/fs/cgroup", false, false, true},
      {"/sys/fs/cgroup", true, false, false},
      {"/etc/localtime", true, false, false},
      {"/etc/shadow", false, false, true},
      {"/var/lib/docker/volumes", false, false, true},
      {"/var/lib/data", false, false, false},
      {"/srv/www", false, false, false},
      {"/etcetera", false, false, false},
      {"/home/me/project", false, false, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.path, c.read_only);
    CHECK(berth::policy::is_engine_socket(c.path) == c.socket);
    CHECK(berth::policy::is_sensitive_host_path(c.path, c.read_only) == c.sensitive);
  }
}
