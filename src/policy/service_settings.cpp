#include "service_settings.h"

#include <nlohmann/json.hpp>

#include "berth/model/project.h"

namespace berth::policy {

using nlohmann::json;

SourceMark mark_at(const model::Project& project, const std::string& pointer) {
  if (!project.source_mark) return {};
  return project.source_mark(pointer);
}

const std::vector<std::string>& allow_entries() {
  static const std::vector<std::string> entries{
      "privileged",         "host_pid",           "host_ipc",          "host_network",
      "host_uts",           "host_userns",        "docker_socket",     "sensitive_mount",
      "devices",            "shared_propagation", "seccomp_unconfined", "apparmor_unconfined",
      "root"};
  return entries;
}

namespace {

const json* berth_extension(const json& object) {
  if (!object.is_object()) return nullptr;
  auto it = object.find("x-berth");
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Error config_error(const SourceMark& mark, const std::string& message) {
  return Error(ErrorKind::Config, (mark.known() ? mark.to_string() + ": " : "") + message);
}

std::optional<Level> level_in(const json* extension, const model::Project& project, const std::string& pointer) {
  if (!extension) return std::nullopt;
  if (!extension->is_object())
    throw config_error(mark_at(project, pointer), "x-berth must be a mapping");
  auto it = extension->find("security");
  if (it == extension->end() || it->is_null()) return std::nullopt;
  auto level = it->is_string() ? parse_level(it->get<std::string>()) : std::nullopt;
  if (!level)
    throw config_error(mark_at(project, pointer + "/security"),
                       "x-berth.security must be one of compat, standard, strict; got " + it->dump());
  return level;
}

}  // namespace

Level project_level(const model::Project& project, std::optional<Level> chosen) {
  // Read even when the command line chose: a typo in the file is still an error.
  auto from_file = level_in(berth_extension(*project.extensions), project, "/x-berth");
  if (chosen) return *chosen;
  return from_file.value_or(Level::Standard);
}

Level service_level(const model::Project& project, const model::Service& service, Level level) {
  std::string pointer = "/services/" + service.name + "/x-berth";
  return level_in(berth_extension(*service.json), project, pointer).value_or(level);
}

std::set<std::string> allowed(const model::Project& project, const model::Service& service) {
  std::set<std::string> out;
  const json* extension = berth_extension(*service.json);
  if (!extension || !extension->is_object()) return out;
  auto it = extension->find("allow");
  if (it == extension->end() || it->is_null()) return out;
  std::string pointer = "/services/" + service.name + "/x-berth/allow";
  if (!it->is_array()) throw config_error(mark_at(project, pointer), "x-berth.allow must be a list");
  std::string known;
  for (const auto& entry : allow_entries()) known += (known.empty() ? "" : ", ") + entry;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& entry = (*it)[i];
    std::string name = entry.is_string() ? entry.get<std::string>() : entry.dump();
    bool valid = false;
    for (const auto& e : allow_entries()) valid = valid || e == name;
    if (!valid)
      throw config_error(mark_at(project, pointer + "/" + std::to_string(i)),
                         "service \"" + service.name + "\": unknown x-berth.allow entry \"" + name +
                             "\"; known entries: " + known);
    out.insert(name);
  }
  return out;
}

}  // namespace berth::policy
