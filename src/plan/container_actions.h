#pragma once
// Building blocks of the planners' container actions. Internal to plan.
#include <string>
#include <vector>

#include "berth/plan/observe.h"
#include "berth/plan/plan.h"

namespace berth::plan {

inline ContainerRef ref_of(const ObservedContainer& c) { return {c.id, std::nullopt, c.name}; }

// An action on one container (known or created by the plan), named after it.
inline Action container_action(ActionKind kind, const std::string& service, const ContainerRef& ref,
                               const std::string& reason) {
  Action a;
  a.kind = kind;
  a.service = service;
  a.container = ref;
  a.target = ref.name;
  a.reason = reason;
  // Stopping, removing or disconnecting what is gone already is done.
  a.tolerate.missing = kind == ActionKind::StopContainer || kind == ActionKind::RemoveContainer ||
                       kind == ActionKind::DisconnectNetwork;
  a.hooks = kind == ActionKind::StartContainer || kind == ActionKind::StopContainer;
  return a;
}

inline Action container_action(ActionKind kind, const ObservedContainer& c, const std::string& reason) {
  Action a = container_action(kind, c.service, ref_of(c), reason);
  // `run`'s containers are not the service's: compose runs no hooks there.
  if (c.oneoff) a.hooks = false;
  // A start that finds a network name ambiguous settles the duplicates of
  // the networks the container is on, then starts again.
  if (kind == ActionKind::StartContainer) a.settle_networks = c.networks;
  return a;
}

// Waits until the containers of `service` meet `condition` ("healthy",
// "completed", "running"); `optional` (a `required: false` dependency) turns a
// failure into a warning.
inline Action wait_action(const std::string& service, const std::string& condition,
                          const std::vector<ContainerRef>& containers, bool optional) {
  Action a;
  a.kind = ActionKind::WaitContainers;
  a.target = service;
  a.service = service;
  a.condition = condition;
  a.containers = containers;
  a.optional = optional;
  return a;
}

}  // namespace berth::plan
