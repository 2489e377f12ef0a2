#include "dependencies.h"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/plan/graph.h"
#include "berth/util/error.h"

namespace berth::plan {

using nlohmann::json;
namespace L = model::labels;

std::vector<Dependency> dependencies_from_label(const std::string& text) {
  std::vector<Dependency> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? text.size() : comma + 1;
    if (item.empty()) continue;
    Dependency d;
    auto c1 = item.find(':');
    d.service = item.substr(0, c1);
    if (c1 != std::string::npos) {
      auto c2 = item.find(':', c1 + 1);
      d.condition = item.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
      if (c2 != std::string::npos) d.restart = item.substr(c2 + 1) == "true";
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::string> referenced_services(const model::Service& service) {
  std::vector<std::string> out;
  const json& s = *service.json;
  for (const char* key : {"network_mode", "ipc", "pid"})
    if (auto it = s.find(key); it != s.end() && it->is_string() && it->get<std::string>().starts_with("service:"))
      out.push_back(it->get<std::string>().substr(8));
  if (auto it = s.find("volumes_from"); it != s.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string() && !v.get<std::string>().starts_with("container:"))
        out.push_back(v.get<std::string>().substr(0, v.get<std::string>().find(':')));
  if (auto it = s.find("links"); it != s.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>().substr(0, v.get<std::string>().find(':')));
  return out;
}

DependencyMap dependency_map(const model::Project& project, const ObservedState& observed) {
  DependencyMap deps;
  for (const auto& c : observed.containers)
    if (!c.service.empty() && !deps.count(c.service)) {
      auto it = c.labels.find(L::kDependsOn);
      deps[c.service] = it == c.labels.end() ? std::vector<Dependency>{} : dependencies_from_label(it->second);
    }
  for (const auto* list : {&project.services, &project.disabled_services})
    for (const auto& s : *list) {
      auto& v = deps[s.name];
      v.clear();
      for (const auto& d : s.depends_on) v.push_back({d.service, d.condition, d.required, d.restart});
      for (const auto& other : referenced_services(s))
        if (std::none_of(v.begin(), v.end(), [&](const Dependency& d) { return d.service == other; }))
          v.push_back({other, "service_started", true, false});
    }
  return deps;
}

std::vector<std::string> dependency_order(const DependencyMap& deps) {
  Graph graph;
  std::map<std::string, size_t> index;
  for (const auto& [name, _] : deps) index[name] = graph.add_node(name);
  for (const auto& [name, list] : deps)
    for (const auto& d : list)
      if (auto it = index.find(d.service); it != index.end()) graph.add_dependency(index[name], it->second);
  if (auto cycle = graph.find_cycle(); !cycle.empty())
    throw Error(ErrorKind::Config, "dependency cycle between services: " + describe_cycle(cycle));
  std::vector<std::string> order;
  std::vector<bool> done(graph.size(), false);
  std::function<void(size_t)> visit = [&](size_t n) {
    if (done[n]) return;
    done[n] = true;
    for (size_t d : graph.dependencies(n)) visit(d);
    order.push_back(graph.name(n));
  };
  for (size_t n = 0; n < graph.size(); ++n) visit(n);
  return order;
}

bool refers_to(const model::Service& service, const std::string& other) {
  const std::string ref = "service:" + other;
  const json& s = *service.json;
  for (const char* key : {"network_mode", "ipc", "pid"})
    if (auto it = s.find(key); it != s.end() && it->is_string() && it->get<std::string>() == ref) return true;
  if (auto it = s.find("volumes_from"); it != s.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string() && (v.get<std::string>() == other || v.get<std::string>().starts_with(other + ":")))
        return true;
  return false;
}

std::set<std::string> named_services(const model::Project& project, const ObservedState& observed,
                                     const std::vector<std::string>& services) {
  std::set<std::string> out;
  if (services.empty()) {
    for (const auto& s : project.services) out.insert(s.name);
    if (project.services.empty())
      for (const auto& c : observed.containers) out.insert(c.service);
    return out;
  }
  for (const auto& name : services) {
    bool known = project.find_service(name) != nullptr;
    for (const auto& s : project.disabled_services) known = known || s.name == name;
    for (const auto& c : observed.containers) known = known || (project.services.empty() && c.service == name);
    if (!known) throw Error(ErrorKind::Usage, "no such service: " + name);
    out.insert(name);
  }
  return out;
}

bool awaited_to_complete(const DependencyMap& dependencies, const std::string& service) {
  for (const auto& [dependent, list] : dependencies)
    for (const auto& d : list)
      if (d.service == service && d.condition == "service_completed_successfully") return true;
  return false;
}

std::vector<const ObservedContainer*> orphan_containers(const model::Project& project, const ObservedState& observed) {
  std::vector<const ObservedContainer*> out;
  if (project.services.empty() && project.disabled_services.empty()) return out;
  std::set<std::string> known;
  for (const auto* list : {&project.services, &project.disabled_services})
    for (const auto& s : *list) known.insert(s.name);
  for (const auto& c : observed.containers)
    if (!c.oneoff && !known.count(c.service)) out.push_back(&c);
  return out;
}

std::string orphan_warning(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : " ") + n;
  return "Found orphan containers ([" + list + "]) for this project. If you removed or renamed this service in your "
         "compose file, you can run this command with the --remove-orphans flag to clean it up.";
}

}  // namespace berth::plan
