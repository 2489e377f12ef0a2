#include "berth/ui/container_format.h"

#include "berth/util/image_reference.h"
#include "berth/util/strings.h"

#include <algorithm>
#include <cstdio>
#include <tuple>


namespace berth::ui {

std::string human_duration(std::int64_t seconds) {
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return std::to_string(seconds) + " seconds";
  const std::int64_t minutes = seconds / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return std::to_string(minutes) + " minutes";
  const std::int64_t hours = (seconds + 1800) / 3600;  // rounded, as docker does
  if (hours == 1) return "About an hour";
  if (hours < 48) return std::to_string(hours) + " hours";
  if (hours < 24 * 7 * 2) return std::to_string(hours / 24) + " days";
  if (hours < 24 * 30 * 2) return std::to_string(hours / 24 / 7) + " weeks";
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24 / 30) + " months";
  return std::to_string(hours / 24 / 365) + " years";
}

std::string human_size(std::int64_t bytes, int precision) {
  static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  double size = static_cast<double>(bytes);
  size_t unit = 0;
  while (size >= 1000.0 && unit + 1 < sizeof units / sizeof units[0]) {
    size /= 1000.0;
    ++unit;
  }
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*g%s", precision, size, units[unit]);
  return buffer;
}

RepositoryTag repository_and_tag(const std::string& reference) {
  if (reference.empty() || reference.starts_with("sha256:")) return {};
  const ImageReference ref = parse_image_reference(reference);
  return {ref.familiar_name(), ref.tag};
}

std::string quoted_command(const std::string& command, bool full) {
  std::string text = command;
  constexpr size_t kMaxRunes = 20;
  if (!full) {
    size_t runes = 0, cut = std::string::npos;
    for (size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
      if (runes == kMaxRunes - 1 && cut == std::string::npos) cut = i;
      ++runes;
    }
    if (runes > kMaxRunes) text = text.substr(0, cut) + "…";
  }
  std::string out;
  append_double_quoted(out, text);
  return out;
}

std::string health_from_status(const std::string& status) {
  if (status.find("(healthy)") != std::string::npos) return "healthy";
  if (status.find("(unhealthy)") != std::string::npos) return "unhealthy";
  if (status.find("(health: starting)") != std::string::npos) return "starting";
  return "";
}

int exit_code_from_status(const std::string& status) {
  if (status.rfind("Exited (", 0) != 0) return 0;
  try {
    return std::stoi(status.substr(8));
  } catch (...) {
    return 0;
  }
}

}  // namespace berth::ui
