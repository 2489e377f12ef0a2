#pragma once
// Host paths a container must not get at: the engine's socket (root on the
// host) and the host's system directories.
#include <string>

namespace berth::policy {

// /var/run/docker.sock, /run/docker.sock, any *docker.sock, containerd's and
// podman's sockets.
bool is_engine_socket(const std::string& host_path);

// "/", /etc, /proc, /sys, /dev, /boot, /usr, /var/lib/docker, ... themselves,
// and writable paths below /etc, /proc, /sys, /dev, /boot, /root and the
// engines' state directories (a read-only /etc/localtime is fine).
bool is_sensitive_host_path(const std::string& host_path, bool read_only);

}  // namespace berth::policy
