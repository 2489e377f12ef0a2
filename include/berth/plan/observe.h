#pragma once
// One snapshot of what the engine holds for a project: its containers (all
// states, one-offs, orphans, temporaries left by an interrupted recreate),
// networks and volumes, found by the com.docker.compose.project label, plus
// the local image IDs and external resources the model refers to. One list
// call per resource kind; nothing is inspected.
#include <map>
#include <string>
#include <vector>

#include "berth/engine/types.h"

namespace berth::engine {
class Engine;
}
namespace berth::model {
struct Project;
}

namespace berth::plan {

struct ObservedContainer {
  std::string id;
  std::string name;  // without the engine's leading "/"
  std::string service;
  int number = 0;
  bool oneoff = false;
  std::string config_hash;
  std::string image;     // as the container was created with
  std::string image_id;  // "sha256:..."
  std::string state;     // running, exited, created, paused, restarting, dead
  std::string status;    // "Up 3 minutes (healthy)"
  std::string health;    // healthy, unhealthy, starting, or "" (none / not running)
  std::vector<std::string> networks;  // names of the networks it is connected to
  engine::Labels labels;

  bool running() const { return state == "running" || state == "restarting" || state == "paused"; }
  // The "{id12}_{name}" name a recreate gives the new container until the
  // old one is removed.
  bool temporary() const;
};

struct ObservedNetwork {
  std::string id;
  std::string name;
  std::string driver;
  bool internal = false;
  bool attachable = false;
  engine::Labels labels;
};

struct ObservedVolume {
  std::string name;
  std::string driver;
  engine::Labels labels;
};

struct ObservedState {
  std::string project;
  std::vector<ObservedContainer> containers;  // sorted by service, number, name
  std::vector<ObservedNetwork> networks;      // the project's, and the model's external ones that exist
  std::vector<ObservedVolume> volumes;        // likewise
  // Local images by every tag they carry ("busybox:latest") -> image ID.
  std::map<std::string, std::string> images;
  bool images_listed = false;  // false: `images` is unknown (observe without a model)

  const ObservedNetwork* find_network(const std::string& name) const;
  const ObservedVolume* find_volume(const std::string& name) const;
  // The local image ID of a reference, tried as written and with ":latest"
  // and docker.io prefixes normalized; "" when absent.
  std::string image_id(const std::string& reference) const;
};

// Containers, networks and volumes labelled with the project (enough for
// down, stop, ps, ...).
ObservedState observe(engine::Engine& engine, const std::string& project);
// Also the local images and the external networks/volumes `project` uses.
ObservedState observe(engine::Engine& engine, const model::Project& project);

// Parses the container summary into the typed form (health from Status).
ObservedContainer observed_container(const engine::ContainerSummary& summary);

}  // namespace berth::plan
