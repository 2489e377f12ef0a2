#pragma once
// The security levels of DESIGN.md §4: compat runs the file exactly as
// docker compose would, standard (the default) adds secure defaults, strict
// also requires a non-root user and a read-only root filesystem.
#include <optional>
#include <string>

namespace berth::policy {

enum class Level { Compat, Standard, Strict };

const char* to_string(Level level);
// nullopt for anything but "compat", "standard", "strict".
std::optional<Level> parse_level(const std::string& text);

}  // namespace berth::policy
