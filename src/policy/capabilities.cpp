#include "capabilities.h"

#include <algorithm>

namespace berth::policy {

const std::vector<std::string>& root_capabilities() {
  static const std::vector<std::string> caps{"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "KILL"};
  return caps;
}

namespace {

// "CAP_CHOWN" and "chown" name the same capability as "CHOWN".
std::string capability_name(std::string cap) {
  std::transform(cap.begin(), cap.end(), cap.begin(), [](unsigned char c) { return std::toupper(c); });
  if (cap.starts_with("CAP_")) cap = cap.substr(4);
  return cap;
}

}  // namespace

CapabilitySets capability_sets(Level level, UserKind user, const std::vector<std::string>& user_cap_add) {
  CapabilitySets sets;
  if (level == Level::Compat) {
    sets.add = user_cap_add;
    return sets;
  }
  sets.drop = {"ALL"};
  std::vector<std::string> added;  // capability_name of each entry of sets.add
  auto add = [&](const std::string& cap) {
    std::string name = capability_name(cap);
    if (std::find(added.begin(), added.end(), name) != added.end()) return;
    added.push_back(std::move(name));
    sets.add.push_back(cap);
  };
  if (level == Level::Standard && user != UserKind::NonRoot)
    for (const auto& cap : root_capabilities()) add(cap);
  for (const auto& cap : user_cap_add) add(cap);
  return sets;
}

}  // namespace berth::policy
