#pragma once
// How `ps` words a container's columns, as the docker CLI does: "2 minutes
// ago", "\"sleep 3600\"".
#include <cstdint>
#include <string>
#include <vector>

namespace berth::ui {

// docker's units.HumanDuration: "Less than a second", "About a minute", "3 hours", ...
std::string human_duration(std::int64_t seconds);

// docker's units.HumanSizeWithPrecision: decimal units ("1.23MB", "512B",
// "4.1kB") with `precision` significant digits (`docker images` uses 3).
std::string human_size(std::int64_t bytes, int precision = 3);

// REPOSITORY and TAG of `docker compose images` for the image a container
// was created from, in the docker CLI's familiar form: "busybox" for
// "docker.io/library/busybox", tag "latest" when none is written, no tag for
// a digest reference, both empty for an image ID ("sha256:...").
struct RepositoryTag {
  std::string repository;
  std::string tag;
};
RepositoryTag repository_and_tag(const std::string& reference);

// The command in double quotes (Go's %q escaping), cut to 20 characters with
// "…" unless `full`.
std::string quoted_command(const std::string& command, bool full);

// Health from the engine's status text: "healthy", "unhealthy", "starting" or "".
std::string health_from_status(const std::string& status);
// The exit code in "Exited (3) 2 seconds ago"; 0 when there is none.
int exit_code_from_status(const std::string& status);

}  // namespace berth::ui
