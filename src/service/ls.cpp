// `berth ls`: every compose project the engine has containers of.
#include <algorithm>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/service/listing.h"
#include "berth/ui/table.h"
#include "berth/util/error.h"
#include "session.h"

namespace berth::service {
namespace {

struct ProjectSummary {
  std::map<std::string, int> states;  // "running" -> 2
  std::vector<std::string> config_files;
};

// "exited(1), running(2)": docker compose's combined status.
std::string combined_status(const std::map<std::string, int>& states) {
  std::string out;
  for (const auto& [state, count] : states)
    out += (out.empty() ? "" : ", ") + state + "(" + std::to_string(count) + ")";
  return out;
}

std::string name_filter(const std::vector<std::string>& filters) {
  std::string name;
  for (const auto& f : filters) {
    auto eq = f.find('=');
    if (eq == std::string::npos || f.substr(0, eq) != "name")
      throw Error(ErrorKind::Usage, "unsupported --filter \"" + f + "\": only name=VALUE is supported");
    name = f.substr(eq + 1);
  }
  return name;
}

}  // namespace

void ls(const LsOptions& o) {
  if (o.format != "table" && o.format != "json")
    throw Error(ErrorKind::Usage, "unsupported --format \"" + o.format + "\": use table or json");
  const std::string wanted = name_filter(o.filters);
  auto engine = connect_engine();
  engine::ListContainersOptions list;
  list.all = o.all;
  list.filters["label"] = {model::labels::kProject};
  std::map<std::string, ProjectSummary> projects;
  for (const auto& c : engine->list_containers(list)) {
    auto project = c.labels.find(model::labels::kProject);
    if (project == c.labels.end() || project->second.empty()) continue;
    if (!wanted.empty() && project->second.find(wanted) == std::string::npos) continue;
    auto& summary = projects[project->second];
    ++summary.states[c.state];
    auto files = c.labels.find(model::labels::kConfigFiles);
    if (files != c.labels.end() && !files->second.empty() &&
        std::find(summary.config_files.begin(), summary.config_files.end(), files->second) ==
            summary.config_files.end())
      summary.config_files.push_back(files->second);
  }
  auto files_text = [](const ProjectSummary& s) {
    std::string out;
    for (const auto& f : s.config_files) out += (out.empty() ? "" : ",") + f;
    return out;
  };
  if (o.quiet) {
    for (const auto& [name, _] : projects) std::cout << name << "\n";
    return;
  }
  if (o.format == "json") {
    nlohmann::ordered_json out = nlohmann::json::array();
    for (const auto& [name, s] : projects)
      out.push_back({{"Name", name}, {"Status", combined_status(s.states)}, {"ConfigFiles", files_text(s)}});
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  std::vector<ui::TableRow> rows;
  for (const auto& [name, s] : projects) rows.push_back({name, combined_status(s.states), files_text(s)});
  std::cout << ui::format_table({"NAME", "STATUS", "CONFIG FILES"}, rows);
}


}  // namespace berth::service
