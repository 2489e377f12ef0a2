// `berth volumes`: the project's volumes (by the project label), as
// `docker compose volumes` lists them: DRIVER and VOLUME NAME, or JSON.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/ui/table.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {
namespace {

struct VolumesFlags {
  bool quiet = false;
  std::string format = "table";
  std::vector<std::string> services;
};

// The engine names of the named volumes the services mount.
std::set<std::string> volumes_of(const model::Project& project, const std::vector<std::string>& services) {
  std::set<std::string> out;
  for (const auto& name : services) {
    const auto* service = project.find_service(name);
    if (!service) continue;
    for (const auto& v : service->volumes) {
      if (v.type != "volume" || v.source.empty()) continue;
      auto it = std::find_if(project.volumes.begin(), project.volumes.end(),
                             [&](const model::Resource& r) { return r.key == v.source; });
      out.insert(it == project.volumes.end() ? v.source : it->name);
    }
  }
  return out;
}

std::string joined_labels(const engine::Labels& labels) {
  std::string out;
  for (const auto& [key, value] : labels) out += (out.empty() ? "" : ",") + key + "=" + value;
  return out;
}

void run_volumes(const VolumesFlags& f, const GlobalOptions& global) {
  if (f.format != "table" && f.format != "json")
    throw Error(ErrorKind::Usage, "unsupported --format \"" + f.format + "\": use table or json");
  auto project = load_project(global, f.services, ProjectFiles::Optional);
  auto engine = connect_engine();
  auto volumes = engine->list_volumes({{"label", {std::string(model::labels::kProject) + "=" + project.name}}});
  if (!f.services.empty()) {
    const auto wanted = volumes_of(project, f.services);
    std::erase_if(volumes, [&](const engine::VolumeSummary& v) { return !wanted.count(v.name); });
  }
  std::sort(volumes.begin(), volumes.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  if (f.quiet) {
    for (const auto& v : volumes) std::cout << v.name << "\n";
    return;
  }
  if (f.format == "json") {
    // The fields of `docker volume ls --format json`.
    for (const auto& v : volumes) {
      nlohmann::ordered_json row = {{"Driver", v.driver}, {"Labels", joined_labels(v.labels)},
                                    {"Links", "N/A"},     {"Mountpoint", v.mountpoint},
                                    {"Name", v.name},     {"Scope", v.scope},
                                    {"Size", "N/A"}};
      std::cout << row.dump() << "\n";
    }
    return;
  }
  std::vector<ui::TableRow> rows;
  for (const auto& v : volumes) rows.push_back({v.driver, v.name});
  std::cout << ui::format_table({"DRIVER", "VOLUME NAME"}, rows);
}

}  // namespace

void register_volumes(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("volumes", "List volumes");
  auto f = std::make_shared<VolumesFlags>();
  cmd->add_flag("-q,--quiet", f->quiet, "Only display volume names");
  cmd->add_option("--format", f->format, "Format the output. Values: [table | json]");
  cmd->add_option("service", f->services, "Services whose volumes to list (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { run_volumes(*f, *global); });
}

}  // namespace berth::cli
