#include "anonymous_volumes.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace berth::exec {
namespace {

using nlohmann::json;

// Anonymous volumes are named by the engine with 64 hex digits.
bool anonymous_name(const std::string& name) {
  return name.size() == 64 &&
         std::all_of(name.begin(), name.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// "src:/target:ro" -> "/target"
std::string bind_target(const std::string& bind) {
  auto first = bind.find(':');
  if (first == std::string::npos) return bind;
  auto second = bind.find(':', first + 1);
  return bind.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
}

}  // namespace

void carry_anonymous_volumes(json& body, const json& old_container) {
  auto mounts_it = old_container.find("Mounts");
  if (mounts_it == old_container.end() || !mounts_it->is_array()) return;
  json& host = body["HostConfig"];
  if (!host.is_object()) host = json::object();
  json& mounts = host["Mounts"];
  if (!mounts.is_array()) mounts = json::array();

  std::set<std::string> covered;  // targets something other than an anonymous volume takes
  if (auto binds = host.find("Binds"); binds != host.end() && binds->is_array())
    for (const auto& b : *binds)
      if (b.is_string()) covered.insert(bind_target(b.get<std::string>()));
  if (auto tmpfs = host.find("Tmpfs"); tmpfs != host.end() && tmpfs->is_object())
    for (auto it = tmpfs->begin(); it != tmpfs->end(); ++it) covered.insert(it.key());

  for (const auto& old : *mounts_it) {
    if (old.value("Type", "") != "volume") continue;
    std::string name = old.value("Name", "");
    std::string target = old.value("Destination", "");
    if (!anonymous_name(name) || target.empty() || covered.count(target)) continue;
    bool placed = false;
    for (auto& m : mounts) {
      if (m.value("Target", "") != target) continue;
      placed = true;
      if (m.value("Type", "") == "volume" && m.value("Source", "").empty()) m["Source"] = name;
      break;
    }
    if (!placed) mounts.push_back({{"Type", "volume"}, {"Source", name}, {"Target", target}, {"ReadOnly", !old.value("RW", true)}});
  }
  if (mounts.empty()) host.erase("Mounts");
}

}  // namespace berth::exec
