#include "berth/plan/plan.h"

#include <nlohmann/json.hpp>

namespace berth::plan {

const char* to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::CreateNetwork: return "create network";
    case ActionKind::RemoveNetwork: return "remove network";
    case ActionKind::CreateVolume: return "create volume";
    case ActionKind::RemoveVolume: return "remove volume";
    case ActionKind::CreateContainer: return "create container";
    case ActionKind::StartContainer: return "start container";
    case ActionKind::StopContainer: return "stop container";
    case ActionKind::RemoveContainer: return "remove container";
    case ActionKind::RenameContainer: return "rename container";
    case ActionKind::RestartContainer: return "restart container";
    case ActionKind::KillContainer: return "kill container";
    case ActionKind::PauseContainer: return "pause container";
    case ActionKind::UnpauseContainer: return "unpause container";
    case ActionKind::DisconnectNetwork: return "disconnect container";
    case ActionKind::ConnectNetwork: return "connect container";
    case ActionKind::WaitContainers: return "wait for";
    case ActionKind::RemoveImage: return "remove image";
  }
  return "?";
}

size_t Plan::add(Action action, const std::vector<size_t>& after) {
  size_t index = graph.add_node(std::string(to_string(action.kind)) + " " + action.target);
  for (size_t dependency : after) graph.add_dependency(index, dependency);
  actions.push_back(std::move(action));
  return index;
}

std::string describe(const Plan& plan) {
  std::string out;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    out += std::to_string(i + 1);
    out += ". ";
    out += to_string(a.kind);
    out += ' ';
    if (a.kind == ActionKind::RenameContainer) out += a.container.name + " -> ";
    if (a.kind == ActionKind::WaitContainers) out += "service " + a.service + " " + a.condition;
    else out += a.target;
    if (!a.service.empty() && a.kind != ActionKind::WaitContainers) out += " (" + a.service + ")";
    if (a.kind == ActionKind::DisconnectNetwork) out += " from " + a.network;
    if (a.kind == ActionKind::ConnectNetwork) out += " to " + a.network;
    if (!a.reason.empty()) out += ": " + a.reason;
    if (a.kind == ActionKind::StopContainer && a.timeout_seconds) out += " timeout=" + std::to_string(*a.timeout_seconds);
    if (a.kind == ActionKind::KillContainer && !a.signal.empty()) out += " signal=" + a.signal;
    if (a.optional) out += " (optional)";
    if (a.remove_volumes) out += " with anonymous volumes";
    if (a.renew_anonymous_volumes) out += " renewing anonymous volumes";
    const auto& deps = plan.graph.dependencies(i);
    if (!deps.empty()) {
      out += " [after";
      for (size_t d : deps) {
        out += ' ';
        out += std::to_string(d + 1);
      }
      out += "]";
    }
    out += "\n";
  }
  for (const auto& w : plan.warnings) out += "warning: " + w + "\n";
  for (const auto& c : plan.up_to_date) out += "up to date: " + c.name + "\n";
  if (plan.actions.empty() && plan.up_to_date.empty()) out += "nothing to do\n";
  return out;
}

}  // namespace berth::plan
