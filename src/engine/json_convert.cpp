#include "json_convert.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

namespace berth::engine {
namespace {

using nlohmann::json;

std::string string_at(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

// Saturated to the int64 range: a number too large for 64 bits parses as a
// double, and converting an out-of-range double is undefined.
std::int64_t int_at(const json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return 0;
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  if (it->is_number_unsigned()) return static_cast<std::int64_t>(std::min<std::uint64_t>(it->get<std::uint64_t>(), kMax));
  if (it->is_number_integer()) return it->get<std::int64_t>();
  const double value = it->get<double>();
  if (std::isnan(value)) return 0;
  if (value >= 0x1p63) return kMax;
  if (value < -0x1p63) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(value);
}

bool bool_at(const json& object, const char* key) {
  if (!object.is_object()) return false;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

const json& member(const json& object, const char* key) {
  static const json null_value;
  if (!object.is_object()) return null_value;
  auto it = object.find(key);
  return it == object.end() ? null_value : *it;
}

std::vector<std::string> strings_at(const json& object, const char* key) {
  std::vector<std::string> out;
  for (const auto& item : member(object, key))
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

Labels labels_at(const json& object, const char* key) {
  Labels out;
  const auto& labels = member(object, key);
  if (!labels.is_object()) return out;
  for (const auto& [name, value] : labels.items())
    if (value.is_string()) out[name] = value.get<std::string>();
  return out;
}

}  // namespace

VersionInfo version_from_json(const json& j) {
  VersionInfo v;
  v.version = string_at(j, "Version");
  v.api_version = string_at(j, "ApiVersion");
  v.min_api_version = string_at(j, "MinAPIVersion");
  v.os = string_at(j, "Os");
  v.arch = string_at(j, "Arch");
  v.kernel_version = string_at(j, "KernelVersion");
  v.git_commit = string_at(j, "GitCommit");
  v.go_version = string_at(j, "GoVersion");
  const auto& components = member(j, "Components");
  if (components.is_array())
    for (const auto& c : components)
      if (string_at(c, "Name") == "Podman Engine") v.podman = true;
  return v;
}

std::string ContainerSummary::name() const {
  if (names.empty()) return id.substr(0, 12);
  const std::string& first = names.front();
  return first.starts_with("/") ? first.substr(1) : first;
}

std::string label_value(const Labels& labels, const std::string& key) {
  auto it = labels.find(key);
  return it == labels.end() ? std::string() : it->second;
}

std::string ContainerSummary::label(const std::string& key) const { return label_value(labels, key); }

json healthcheck_test_for_podman(const json& test) {
  if (!test.is_array() || test.empty() || test[0] != "CMD") return test;
  const bool has_space = std::any_of(test.begin() + 1, test.end(), [](const json& arg) {
    return arg.is_string() && arg.get_ref<const std::string&>().find_first_of(" \t\n") != std::string::npos;
  });
  if (!has_space) return test;
  std::string line;
  for (auto arg = test.begin() + 1; arg != test.end(); ++arg) {
    if (!arg->is_string()) return test;
    if (!line.empty()) line += ' ';
    line += '\'';
    // A quote closes the quoting, is itself quoted in double quotes, and
    // reopens it.
    for (char c : arg->get_ref<const std::string&>()) line += c == '\'' ? std::string("'\"'\"'") : std::string(1, c);
    line += '\'';
  }
  return json::array({"CMD-SHELL", line});
}

std::string docker_state(std::string state) {
  return state == "stopped" ? "exited" : state;
}

ContainerSummary container_summary_from_json(const json& j) {
  ContainerSummary c;
  c.id = string_at(j, "Id");
  c.names = strings_at(j, "Names");
  c.image = string_at(j, "Image");
  c.image_id = string_at(j, "ImageID");
  c.command = string_at(j, "Command");
  c.created = int_at(j, "Created");
  c.state = docker_state(string_at(j, "State"));
  c.status = string_at(j, "Status");
  c.labels = labels_at(j, "Labels");
  for (const auto& port : member(j, "Ports")) {
    PortSummary p;
    p.ip = string_at(port, "IP");
    p.private_port = static_cast<int>(int_at(port, "PrivatePort"));
    p.public_port = static_cast<int>(int_at(port, "PublicPort"));
    p.type = string_at(port, "Type");
    c.ports.push_back(std::move(p));
  }
  const auto& networks = member(member(j, "NetworkSettings"), "Networks");
  if (networks.is_object())
    for (const auto& [name, value] : networks.items()) c.networks.push_back(name);
  return c;
}

ImageSummary image_summary_from_json(const json& j) {
  ImageSummary i;
  i.id = string_at(j, "Id");
  i.parent_id = string_at(j, "ParentId");
  i.repo_tags = strings_at(j, "RepoTags");
  i.repo_digests = strings_at(j, "RepoDigests");
  i.created = int_at(j, "Created");
  i.size = int_at(j, "Size");
  i.labels = labels_at(j, "Labels");
  return i;
}

NetworkSummary network_summary_from_json(const json& j) {
  NetworkSummary n;
  n.id = string_at(j, "Id");
  n.name = string_at(j, "Name");
  n.driver = string_at(j, "Driver");
  n.scope = string_at(j, "Scope");
  n.internal = bool_at(j, "Internal");
  n.attachable = bool_at(j, "Attachable");
  n.labels = labels_at(j, "Labels");
  return n;
}

VolumeSummary volume_summary_from_json(const json& j) {
  VolumeSummary v;
  v.name = string_at(j, "Name");
  v.driver = string_at(j, "Driver");
  v.mountpoint = string_at(j, "Mountpoint");
  v.scope = string_at(j, "Scope");
  v.created_at = string_at(j, "CreatedAt");
  v.labels = labels_at(j, "Labels");
  return v;
}

Event event_from_json(const json& j) {
  Event e;
  e.type = string_at(j, "Type");
  e.action = string_at(j, "Action");
  const auto& actor = member(j, "Actor");
  e.actor_id = string_at(actor, "ID");
  e.attributes = labels_at(actor, "Attributes");
  e.scope = string_at(j, "scope");
  e.time = int_at(j, "time");
  e.time_nano = int_at(j, "timeNano");
  return e;
}

ProgressMessage progress_from_json(const json& j) {
  ProgressMessage p;
  p.id = string_at(j, "id");
  p.status = string_at(j, "status");
  p.progress = string_at(j, "progress");
  const auto& detail = member(j, "progressDetail");
  p.current = int_at(detail, "current");
  p.total = int_at(detail, "total");
  p.stream = string_at(j, "stream");
  p.error = string_at(member(j, "errorDetail"), "message");
  if (p.error.empty()) p.error = string_at(j, "error");
  const auto& aux = member(j, "aux");
  if (aux.is_string() && p.id == "moby.buildkit.trace") p.trace = aux.get<std::string>();
  else p.aux_id = string_at(aux, "ID");
  return p;
}

ExecInspectResult exec_inspect_from_json(const json& j) {
  ExecInspectResult r;
  r.id = string_at(j, "ID");
  r.container_id = string_at(j, "ContainerID");
  r.running = bool_at(j, "Running");
  r.pid = static_cast<int>(int_at(j, "Pid"));
  if (!r.running && member(j, "ExitCode").is_number())
    r.exit_code = static_cast<int>(std::clamp<std::int64_t>(int_at(j, "ExitCode"), INT_MIN, INT_MAX));
  return r;
}

TopResult top_from_json(const json& j) {
  TopResult t;
  t.titles = strings_at(j, "Titles");
  for (const auto& row : member(j, "Processes")) {
    std::vector<std::string> cells;
    for (const auto& cell : row)
      if (cell.is_string()) cells.push_back(cell.get<std::string>());
    t.processes.push_back(std::move(cells));
  }
  return t;
}

}  // namespace berth::engine
