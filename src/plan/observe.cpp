#include "berth/plan/observe.h"

#include <algorithm>
#include <future>
#include <set>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/util/error.h"
#include "berth/util/image_reference.h"

namespace berth::plan {
namespace {

namespace L = model::labels;

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// "busybox" -> "busybox:latest", "docker.io/library/x:1" -> "x:1".
std::string normalize_reference(const std::string& reference) {
  const ImageReference ref = parse_image_reference(reference);
  return ref.familiar_name() + (ref.digest.empty() ? ":" + ref.tag : "@" + ref.digest);
}

engine::Filters project_filter(const std::string& project) {
  return {{"label", {std::string(L::kProject) + "=" + project}}};
}

}  // namespace

bool ObservedContainer::temporary() const {
  return name.size() > 13 && name[12] == '_' && is_hex(std::string_view(name).substr(0, 12));
}

const ObservedNetwork* ObservedState::find_network(const std::string& name) const {
  for (const auto& n : networks)
    if (n.name == name) return &n;
  return nullptr;
}

const ObservedVolume* ObservedState::find_volume(const std::string& name) const {
  for (const auto& v : volumes)
    if (v.name == name) return &v;
  return nullptr;
}

std::string ObservedState::image_id(const std::string& reference) const {
  if (reference.starts_with("sha256:")) {
    for (const auto& [tag, id] : images)
      if (id == reference) return id;
    return {};
  }
  auto it = images.find(normalize_reference(reference));
  return it == images.end() ? std::string() : it->second;
}

ObservedContainer observed_container(const engine::ContainerSummary& s) {
  ObservedContainer c;
  c.id = s.id;
  c.name = s.name();
  c.service = s.label(L::kService);
  try {
    c.number = std::stoi(s.label(L::kContainerNumber));
  } catch (const std::exception&) {
    c.number = 0;
  }
  c.oneoff = s.label(L::kOneoff) == "True";
  c.config_hash = s.label(L::kConfigHash);
  c.image = s.image;
  c.image_id = s.image_id;
  c.state = s.state;
  c.status = s.status;
  if (c.state == "running") {
    if (c.status.find("(healthy)") != std::string::npos) c.health = "healthy";
    else if (c.status.find("(unhealthy)") != std::string::npos) c.health = "unhealthy";
    else if (c.status.find("(health: starting)") != std::string::npos) c.health = "starting";
  }
  c.labels = s.labels;
  c.networks = s.networks;
  return c;
}

namespace {

struct Lists {
  std::vector<engine::ContainerSummary> containers;
  std::vector<engine::NetworkSummary> networks;
  std::vector<engine::VolumeSummary> volumes;
  std::vector<engine::ImageSummary> images;
};

// The list calls are independent: run them at once (the engine answers each
// in a few milliseconds, so a no-op `up` costs the slowest, not the sum).
Lists list_all(engine::Engine& engine, const std::string& project, bool images, const engine::Filters& network_filters,
               const engine::Filters& volume_filters) {
  auto filters = project_filter(project);
  Lists lists;
  auto containers = std::async(std::launch::async, [&] {
    return engine.list_containers({.all = true, .filters = filters});
  });
  auto networks = std::async(std::launch::async, [&] { return engine.list_networks(network_filters); });
  auto volumes = std::async(std::launch::async, [&] { return engine.list_volumes(volume_filters); });
  if (images) lists.images = engine.list_images();
  lists.containers = containers.get();
  lists.networks = networks.get();
  lists.volumes = volumes.get();
  return lists;
}

ObservedState from_lists(const std::string& project, Lists lists) {
  ObservedState state;
  state.project = project;
  for (const auto& s : lists.containers) state.containers.push_back(observed_container(s));
  std::sort(state.containers.begin(), state.containers.end(), [](const auto& a, const auto& b) {
    return std::tie(a.service, a.oneoff, a.number, a.name) < std::tie(b.service, b.oneoff, b.number, b.name);
  });
  for (const auto& n : lists.networks)
    state.networks.push_back({n.id, n.name, n.driver, n.internal, n.attachable, n.labels});
  for (const auto& v : lists.volumes) state.volumes.push_back({v.name, v.driver, v.labels});
  return state;
}

bool labelled(const engine::Labels& labels, const std::string& project) {
  auto it = labels.find(L::kProject);
  return it != labels.end() && it->second == project;
}

}  // namespace

ObservedState observe(engine::Engine& engine, const std::string& project) {
  auto filters = project_filter(project);
  return from_lists(project, list_all(engine, project, false, filters, filters));
}

ObservedState observe(engine::Engine& engine, const model::Project& project) {
  // External networks/volumes carry no project label: when the model uses
  // some, list by label or name in the same call and keep exact matches.
  std::set<std::string> external_networks, external_volumes;
  for (const auto& n : project.networks)
    if (n.external) external_networks.insert(n.name);
  for (const auto& v : project.volumes)
    if (v.external) external_volumes.insert(v.name);
  auto filters = project_filter(project.name);
  auto network_filters = external_networks.empty() ? filters : engine::Filters{};
  auto volume_filters = external_volumes.empty() ? filters : engine::Filters{};
  Lists lists = list_all(engine, project.name, !project.services.empty(), network_filters, volume_filters);
  std::erase_if(lists.networks, [&](const engine::NetworkSummary& n) {
    return !labelled(n.labels, project.name) && !external_networks.count(n.name);
  });
  std::erase_if(lists.volumes, [&](const engine::VolumeSummary& v) {
    return !labelled(v.labels, project.name) && !external_volumes.count(v.name);
  });
  auto images = std::move(lists.images);
  ObservedState state = from_lists(project.name, std::move(lists));
  if (!project.services.empty()) {
    for (const auto& image : images) {
      for (const auto& tag : image.repo_tags) state.images[normalize_reference(tag)] = image.id;
      for (const auto& digest : image.repo_digests) state.images[digest] = image.id;
    }
    // A service image no tag matched may still be one the engine resolves
    // by reference: Podman stores `name:tag` as `localhost/name:tag`. The
    // engine decides, not string matching (a miss costs one inspect).
    for (const auto& service : project.services) {
      const std::string image = service.image_name(project.name);
      if (!state.image_id(image).empty()) continue;
      try {
        const std::string id = engine.inspect_image(image).value("Id", "");
        if (!id.empty()) state.images[normalize_reference(image)] = id;
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::NotFound) throw;
      }
    }
    state.images_listed = true;
  }
  return state;
}

}  // namespace berth::plan
