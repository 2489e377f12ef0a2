#include "berth/model/project.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "berth/model/units.h"

namespace berth::model {

using nlohmann::json;

namespace {

std::optional<std::string> optional_string(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::vector<std::string> string_array(const json& object, const char* key) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const auto& item : *it)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

const json& empty_object() {
  static const json empty = json::object();
  return empty;
}

}  // namespace

void Service::bind() {
  const nlohmann::json& j = this->json->is_object() ? *this->json : empty_object();
  image = optional_string(j, "image");
  has_build = j.contains("build") && !j["build"].is_null();
  container_name = optional_string(j, "container_name");
  profiles = string_array(j, "profiles");
  network_mode = optional_string(j, "network_mode");
  restart = optional_string(j, "restart").value_or("");
  pull_policy = optional_string(j, "pull_policy").value_or("");
  stop_signal = optional_string(j, "stop_signal");
  stop_grace_period_ns.reset();
  if (auto grace = optional_string(j, "stop_grace_period")) stop_grace_period_ns = parse_duration(*grace);

  has_healthcheck = false;
  if (auto hc = j.find("healthcheck"); hc != j.end() && hc->is_object()) {
    bool disabled = hc->value("disable", false);
    if (auto test = hc->find("test"); test != hc->end() && test->is_array() && !test->empty() &&
                                      (*test)[0] == "NONE")
      disabled = true;
    has_healthcheck = !disabled;
  }

  depends_on.clear();
  if (auto deps = j.find("depends_on"); deps != j.end() && deps->is_object())
    for (const auto& [name, spec] : deps->items()) {
      Dependency d;
      d.service = name;
      if (spec.is_object()) {
        d.condition = spec.value("condition", "service_started");
        d.required = spec.value("required", true);
        d.restart = spec.value("restart", false);
      }
      depends_on.push_back(std::move(d));
    }

  networks.clear();
  if (auto nets = j.find("networks"); nets != j.end() && nets->is_object())
    for (const auto& [name, spec] : nets->items()) {
      ServiceNetwork n;
      n.name = name;
      if (spec.is_object()) {
        n.aliases = string_array(spec, "aliases");
        n.ipv4_address = optional_string(spec, "ipv4_address");
        n.ipv6_address = optional_string(spec, "ipv6_address");
        n.mac_address = optional_string(spec, "mac_address");
        if (spec.contains("priority") && spec["priority"].is_number_integer()) n.priority = spec["priority"];
        if (spec.contains("gw_priority") && spec["gw_priority"].is_number_integer())
          n.gw_priority = spec["gw_priority"];
      }
      networks.push_back(std::move(n));
    }

  volumes.clear();
  if (auto vols = j.find("volumes"); vols != j.end() && vols->is_array())
    for (const auto& spec : *vols) {
      if (!spec.is_object()) continue;
      ServiceVolume v;
      v.type = spec.value("type", "volume");
      v.source = spec.value("source", "");
      v.target = spec.value("target", "");
      v.read_only = spec.value("read_only", false);
      volumes.push_back(std::move(v));
    }

  bind_ports();

  scale = 1;
  if (auto s = j.find("scale"); s != j.end() && s->is_number_integer()) scale = s->get<int>();
  if (auto deploy = j.find("deploy"); deploy != j.end() && deploy->is_object())
    if (auto r = deploy->find("replicas"); r != deploy->end() && r->is_number_integer()) scale = r->get<int>();
}

void Service::bind_ports() {
  const nlohmann::json& j = this->json->is_object() ? *this->json : empty_object();
  ports.clear();
  if (auto list = j.find("ports"); list != j.end() && list->is_array())
    for (const auto& spec : *list) {
      if (!spec.is_object()) continue;
      ServicePort p;
      if (spec.contains("target") && spec["target"].is_number_integer()) p.target = spec["target"];
      p.published = spec.value("published", "");
      p.host_ip = spec.value("host_ip", "");
      p.protocol = spec.value("protocol", "tcp");
      p.mode = spec.value("mode", "ingress");
      p.name = optional_string(spec, "name");
      p.app_protocol = optional_string(spec, "app_protocol");
      ports.push_back(std::move(p));
    }
}

std::string Service::image_name(const std::string& project_name) const {
  if (image) return *image;
  return project_name + "-" + name;
}

void Resource::bind(const std::string& project_name) {
  const nlohmann::json& j = *json;
  auto external_it = j.is_object() ? j.find("external") : j.end();
  external = j.is_object() && external_it != j.end() && external_it->is_boolean() && external_it->get<bool>();
  if (auto n = j.is_object() ? optional_string(j, "name") : std::nullopt) name = *n;
  else name = external ? key : project_name + "_" + key;
}

const Service* Project::find_service(const std::string& service_name) const {
  for (const auto& s : services)
    if (s.name == service_name) return &s;
  return nullptr;
}

Service* Project::find_service(const std::string& service_name) {
  for (auto& s : services)
    if (s.name == service_name) return &s;
  return nullptr;
}

std::set<std::string> Project::with_dependencies(const std::vector<std::string>& names) const {
  std::set<std::string> out;
  std::vector<std::string> queue = names;
  while (!queue.empty()) {
    std::string name = queue.back();
    queue.pop_back();
    if (!out.insert(name).second) continue;
    if (const auto* s = find_service(name))
      for (const auto& d : s->depends_on) queue.push_back(d.service);
  }
  return out;
}

namespace {

const Resource* find_resource(const std::vector<Resource>& list, const std::string& key) {
  for (const auto& r : list)
    if (r.key == key) return &r;
  return nullptr;
}

template <typename Json>
std::vector<Resource> resources_from(Json&& doc, const char* kind, const std::string& project_name) {
  std::vector<Resource> out;
  auto section = doc.find(kind);
  if (section == doc.end() || !section->is_object()) return out;
  for (auto& [key, value] : section->items()) {
    Resource r;
    r.key = key;
    if (value.is_null()) *r.json = json::object();
    else *r.json = std::move(value);  // a copy when `doc` is const
    r.bind(project_name);
    out.push_back(std::move(r));
  }
  return out;
}

template <typename Json>
std::vector<Service> services_from(Json&& section) {
  std::vector<Service> out;
  if (!section.is_object()) return out;
  out.reserve(section.size());
  for (auto& [name, value] : section.items()) {
    Service s;
    s.name = name;
    *s.json = std::move(value);  // a copy when `section` is const
    s.bind();
    out.push_back(std::move(s));
  }
  // nlohmann's object keeps keys sorted, so `out` is already sorted by name.
  return out;
}

// Copies (const) or moves (non-const) each JSON document into place.
template <typename Resources>
void put_resources(json& doc, const char* kind, Resources&& list) {
  if (list.empty()) return;
  json& section = doc[kind];
  for (auto& r : list) section[r.key] = std::move(*r.json);  // a copy when `list` is const
}

template <typename ProjectRef>
json project_json(ProjectRef&& project) {
  json doc = json::object();
  doc["name"] = project.name;
  json& section = doc["services"] = json::object();
  for (auto& s : project.services) section[s.name] = std::move(*s.json);  // a copy when const
  put_resources(doc, "networks", project.networks);
  put_resources(doc, "volumes", project.volumes);
  put_resources(doc, "secrets", project.secrets);
  put_resources(doc, "configs", project.configs);
  put_resources(doc, "models", project.models);
  if (project.extensions->is_object())
    for (auto&& [key, value] : project.extensions->items()) doc[key] = std::move(value);
  return doc;
}

}  // namespace

const Resource* Project::find_network(const std::string& key) const { return find_resource(networks, key); }
const Resource* Project::find_volume(const std::string& key) const { return find_resource(volumes, key); }

nlohmann::json Project::to_json() const& { return project_json(*this); }

nlohmann::json Project::to_json() && { return project_json(*this); }

namespace {

template <typename Json>
Project project_from(Json&& doc, Json&& disabled) {
  Project p;
  p.name = doc.value("name", "");
  if (auto services = doc.find("services"); services != doc.end()) p.services = services_from(*services);
  p.disabled_services = services_from(disabled);
  p.networks = resources_from(doc, "networks", p.name);
  p.volumes = resources_from(doc, "volumes", p.name);
  p.secrets = resources_from(doc, "secrets", p.name);
  p.configs = resources_from(doc, "configs", p.name);
  p.models = resources_from(doc, "models", p.name);
  *p.extensions = json::object();
  for (auto& [key, value] : doc.items())
    if (key.starts_with("x-")) (*p.extensions)[key] = std::move(value);
  return p;
}

}  // namespace

Project Project::from_json(const nlohmann::json& doc, const nlohmann::json& disabled) {
  return project_from(doc, disabled);
}

Project Project::from_json(nlohmann::json&& doc, nlohmann::json&& disabled) {
  return project_from(doc, disabled);
}

}  // namespace berth::model
