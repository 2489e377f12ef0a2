#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/model/labels.h"
#include "berth/ui/table.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {
namespace {

struct TopFlags {
  std::vector<std::string> services;
};

// docker compose's layout: the container's name, its process table, a blank line.
void run_top(const TopFlags& f, const GlobalOptions& global) {
  auto project = load_project(global, f.services, ProjectFiles::Optional);
  auto engine = connect_engine();
  engine::ListContainersOptions options;
  options.filters["label"] = {std::string(model::labels::kProject) + "=" + project.name};
  auto containers = engine->list_containers(options);
  std::vector<std::pair<std::string, std::string>> targets;  // name, id
  for (const auto& c : containers) {
    auto service = c.labels.find(model::labels::kService);
    if (!f.services.empty() && (service == c.labels.end() ||
                                std::find(f.services.begin(), f.services.end(), service->second) == f.services.end()))
      continue;
    std::string name = c.names.empty() ? c.id.substr(0, 12) : c.names.front();
    if (name.starts_with("/")) name.erase(0, 1);
    targets.emplace_back(name, c.id);
  }
  std::sort(targets.begin(), targets.end());
  for (const auto& [name, id] : targets) {
    auto top = engine->top_container(id);
    std::cout << name << "\n" << ui::format_table(top.titles, top.processes) << "\n";
  }
}

}  // namespace

void register_top(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("top", "Display the running processes");
  auto f = std::make_shared<TopFlags>();
  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { run_top(*f, *global); });
}

}  // namespace berth::cli
