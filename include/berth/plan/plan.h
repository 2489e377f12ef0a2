#pragma once
// A plan: the actions that take the engine from what was observed to what is
// wanted, each one engine call (a container create includes connecting its
// extra networks), in a DAG so independent actions run in parallel. Action i
// is node i of `graph`; an edge means "after".
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/plan/graph.h"
#include "berth/plan/oneoff.h"

namespace berth::plan {

enum class ActionKind {
  CreateNetwork,
  RemoveNetwork,
  CreateVolume,
  RemoveVolume,
  CreateContainer,
  StartContainer,
  StopContainer,
  RemoveContainer,
  RenameContainer,
  RestartContainer,
  KillContainer,
  PauseContainer,
  UnpauseContainer,
  // `network` (a recreated one) from/to a container that is not recreated with it.
  DisconnectNetwork,
  ConnectNetwork,
  // Blocks until the containers of `service` meet `condition`: "healthy"
  // (service_healthy), "completed" (service_completed_successfully) or
  // "running" (up --wait: healthy when there is a healthcheck, else running).
  WaitContainers,
  RemoveImage,
};

const char* to_string(ActionKind kind);

// A container known by ID (observed), or the one an earlier action of the
// same plan creates (its ID is known only while the plan runs).
struct ContainerRef {
  std::string id;
  std::optional<size_t> created_by;  // index of a CreateContainer action
  std::string name;                  // for messages
};

struct Action {
  ActionKind kind = ActionKind::CreateContainer;
  std::string target;   // engine name of what it acts on (after the action, for create/rename)
  std::string service;  // "" for networks, volumes, images
  std::string reason;   // "missing", "config changed", "image changed", "orphan", ...
  // Recreate steps are reported as one "Recreate"/"Recreated" pair, on the
  // create and the rename; the stop/remove between them report nothing.
  bool quiet = false;
  bool recreate = false;

  ContainerRef container;  // container actions (not create)
  std::vector<ContainerRef> containers;  // WaitContainers
  std::string condition;                 // WaitContainers
  // WaitContainers for a `required: false` dependency: a failure is a warning.
  bool optional = false;

  // CreateContainer
  int number = 0;
  std::string config_hash;
  std::string image_id;
  std::optional<ContainerRef> replaces;  // the container a recreate replaces
  bool renew_anonymous_volumes = false;  // -V: do not carry the old anonymous volumes
  std::optional<OneOff> oneoff;          // `run`'s container
  // The container each service named by network_mode/ipc/pid `service:X` or
  // volumes_from stands for (its engine name).
  std::map<std::string, std::string> service_containers;

  // CreateNetwork / CreateVolume: the model's key of the resource (`target`
  // is its engine name); exec makes the engine's create body from the model.
  std::string resource;
  // RemoveNetwork: the network's ID (a name can match two networks after a
  // creation race; down removes each).
  std::string engine_id;

  // Disconnect/ConnectNetwork: the engine network name.
  std::string network;
  // ConnectNetwork: the aliases the container answers to on it.
  std::vector<std::string> aliases;
  // ConnectNetwork: the DisconnectNetwork action whose endpoint (aliases,
  // fixed addresses, links) the container gets back on the new network.
  std::optional<size_t> restore_endpoint_of;

  // Start: the service's post_start hooks run after it; Stop: its pre_stop
  // hooks before it (compose's lifecycle hooks; the model has the commands).
  bool hooks = false;

  // Stop/Restart/Remove/Kill (force: also DisconnectNetwork)
  std::optional<int> timeout_seconds;
  std::string signal;
  bool force = false;
  bool remove_volumes = false;

  // What the executor accepts instead of failing. The planner decides; the
  // executor only reads the engine's typed errors (NotFound, Conflict,
  // InUse, Ambiguous), never their text.
  struct Tolerance {
    // NotFound counts as done: what is stopped or removed is gone already.
    bool missing = false;
    // InUse leaves the network or image where it is, reported "Resource is
    // still in use" (down's networks that orphans or others still use,
    // --rmi images of other containers).
    bool in_use = false;
    // Create on Conflict: a concurrent run made the same thing first. A
    // container is taken over when its project, service and config-hash
    // labels are this action's; a network when one of that name exists.
    bool adopt = false;
    // ConnectNetwork: a fixed address the recreated network cannot give is
    // dropped with a warning instead of leaving the container unconnected.
    bool new_address = false;
  } tolerate;

  // Networks whose duplicates (two networks of one name, made by a creation
  // race between runs) are settled, the oldest kept: a CreateNetwork settles
  // its own after creating it; a StartContainer settles these when the
  // engine finds a name ambiguous, then starts again.
  std::vector<std::string> settle_networks;
};

struct Plan {
  std::vector<Action> actions;
  Graph graph;
  std::vector<std::string> warnings;
  // Containers left as they are ("Running" in the progress output).
  std::vector<ContainerRef> up_to_date;

  // Appends `action` to run after every action in `after`; returns its index.
  size_t add(Action action, const std::vector<size_t>& after = {});
  bool empty() const { return actions.empty(); }
};

// One line per action: "3. start container demo-web-1 (web): missing [after 2]",
// then the warnings and the containers left as they are. Stable, for
// --dry-run and golden tests.
std::string describe(const Plan& plan);

}  // namespace berth::plan
