// `berth volumes`: the project's volumes (by the project label), as
// `docker compose volumes` lists them: DRIVER and VOLUME NAME, or JSON.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/service/listing.h"
#include "berth/util/error.h"
#include "project_loading.h"
#include "session.h"
#include "berth/ui/table.h"

namespace berth::service {
namespace {

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

}  // namespace

void volumes(const GlobalOptions& global, const VolumesOptions& f) {
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


}  // namespace berth::service
