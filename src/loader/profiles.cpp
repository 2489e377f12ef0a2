#include "profiles.h"

#include <algorithm>
#include <deque>
#include <nlohmann/json.hpp>
#include <set>

#include "to_json.h"
#include "berth/util/strings.h"

namespace berth::loader {

using nlohmann::json;

std::vector<std::string> active_profiles(const std::vector<std::string>& flags,
                                         const std::map<std::string, std::string>& environment) {
  std::vector<std::string> out;
  auto add = [&](const std::string& profile) {
    if (!profile.empty() && std::find(out.begin(), out.end(), profile) == out.end()) out.push_back(profile);
  };
  if (!flags.empty()) {
    for (const auto& flag : flags) add(flag);
    return out;
  }
  auto it = environment.find("COMPOSE_PROFILES");
  if (it == environment.end()) return out;
  size_t start = 0;
  const std::string& list = it->second;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    add(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

namespace {

bool enabled_by_profiles(const json& service, const std::set<std::string>& active) {
  auto profiles = service.find("profiles");
  if (profiles == service.end() || !profiles->is_array() || profiles->empty()) return true;
  if (active.count("*")) return true;
  for (const auto& p : *profiles)
    if (p.is_string() && active.count(p.get<std::string>())) return true;
  return false;
}

bool required(const json& dependency) {
  auto it = dependency.find("required");
  return it == dependency.end() || !it->is_boolean() || it->get<bool>();
}

std::string profile_hint(const json& service) {
  auto profiles = service.find("profiles");
  if (profiles == service.end() || !profiles->is_array() || profiles->empty()) return "";
  std::string out;
  for (const auto& p : *profiles) {
    if (!out.empty()) out += ", ";
    out += p.is_string() ? p.get<std::string>() : p.dump();
  }
  return " (enable one of its profiles: " + out + ")";
}

}  // namespace

nlohmann::json apply_profiles(nlohmann::json& project, const ProfileSelection& selection,
                              const MarkLookup& mark) {
  json disabled = json::object();
  auto services = project.find("services");
  if (services == project.end() || !services->is_object()) return disabled;

  std::set<std::string> active(selection.active.begin(), selection.active.end());
  std::set<std::string> enabled;
  for (auto& [name, service] : services->items())
    if (enabled_by_profiles(service, active)) enabled.insert(name);

  // Services named on the command line are enabled with everything they require.
  std::deque<std::string> queue(selection.explicit_services.begin(), selection.explicit_services.end());
  while (!queue.empty()) {
    std::string name = queue.front();
    queue.pop_front();
    auto it = services->find(name);
    if (it == services->end()) continue;
    enabled.insert(name);
    if (auto deps = it->find("depends_on"); deps != it->end() && deps->is_object())
      for (auto& [dep, spec] : deps->items())
        if (required(spec) && !enabled.count(dep) && services->contains(dep)) queue.push_back(dep);
  }

  for (const auto& name : enabled) {
    json& service = (*services)[name];
    auto deps = service.find("depends_on");
    if (deps == service.end() || !deps->is_object()) continue;
    std::vector<std::string> dropped;
    for (auto& [dep, spec] : deps->items()) {
      if (enabled.count(dep) || !services->contains(dep)) continue;
      if (!required(spec)) {
        dropped.push_back(dep);
        continue;
      }
      std::string ptr = "/services/" + escape_json_pointer_token(name) + "/depends_on/" +
                        escape_json_pointer_token(dep);
      throw Error(ErrorKind::Config,
                  located(mark, ptr,
                          "service \"" + name + "\" depends on service \"" + dep +
                              "\" which is disabled by its profiles" + profile_hint((*services)[dep])));
    }
    for (const auto& dep : dropped) deps->erase(dep);
    if (deps->empty()) service.erase("depends_on");
  }

  std::vector<std::string> to_disable;
  for (auto& [name, service] : services->items())
    if (!enabled.count(name)) to_disable.push_back(name);
  for (const auto& name : to_disable) {
    disabled[name] = std::move((*services)[name]);
    services->erase(name);
  }
  return disabled;
}

}  // namespace berth::loader
