// `berth stats`: resource usage of the project's containers, as `docker
// compose stats` (the docker CLI's stats) shows it.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/service/listing.h"
#include "berth/util/error.h"
#include "project_loading.h"
#include "session.h"
#include "berth/ui/go_template.h"
#include "berth/ui/table.h"
#include "berth/ui/terminal.h"
#include "signal_watch.h"
#include "stats_format.h"

namespace berth::service {
namespace {

struct Sampled {
  std::string id;
  std::string name;
  std::optional<StatsRow> row;  // unset: the container went away meanwhile
};

std::vector<Sampled> containers_of(engine::Engine& engine, const std::string& project, const StatsOptions& f) {
  engine::ListContainersOptions options;
  options.all = f.all;
  options.filters["label"] = {std::string(model::labels::kProject) + "=" + project};
  std::vector<Sampled> out;
  for (const auto& c : engine.list_containers(options)) {
    const auto service = c.label(model::labels::kService);
    if (!f.services.empty() && std::find(f.services.begin(), f.services.end(), service) == f.services.end()) continue;
    out.push_back({c.id, c.name(), std::nullopt});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

// One sample of each container, taken in parallel (each takes the engine
// about a second).
void sample(engine::Engine& engine, std::vector<Sampled>& containers) {
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(containers.size());
  for (size_t i = 0; i < containers.size(); ++i)
    threads.emplace_back([&, i] {
      try {
        containers[i].row = stats_row(engine.container_stats(containers[i].id));
        if (containers[i].row->name.empty()) containers[i].row->name = containers[i].name;  // a sample with no figures
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::NotFound) errors[i] = std::current_exception();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

// The fields of a row as docker stats names them (--format json and templates).
nlohmann::ordered_json row_fields(const Sampled& c, const StatsOptions& f) {
  const auto& r = *c.row;
  return {{"BlockIO", r.block_io}, {"CPUPerc", r.cpu},      {"Container", c.name},
          {"ID", f.no_trunc ? r.id : r.id.substr(0, 12)},   {"MemPerc", r.mem},
          {"MemUsage", r.mem_usage}, {"Name", r.name},       {"NetIO", r.net_io},
          {"PIDs", r.pids}};
}

// A --format that is neither "table" nor "json": a Go template over the
// fields above (checked before anything is sampled).
std::optional<ui::GoTemplate> stats_template(const std::string& format) {
  if (format == "table" || format == "json") return std::nullopt;
  return ui::GoTemplate(format, {"BlockIO", "CPUPerc", "Container", "ID", "MemPerc", "MemUsage", "Name", "NetIO",
                                 "PIDs"});
}

std::string render(const std::vector<Sampled>& containers, const StatsOptions& f) {
  std::string out;
  if (auto tmpl = stats_template(f.format)) {
    static const nlohmann::ordered_json header = {
        {"BlockIO", "BLOCK I/O"}, {"CPUPerc", "CPU %"},  {"Container", "CONTAINER"},
        {"ID", "CONTAINER ID"},   {"MemPerc", "MEM %"},  {"MemUsage", "MEM USAGE / LIMIT"},
        {"Name", "NAME"},         {"NetIO", "NET I/O"}, {"PIDs", "PIDS"}};
    std::vector<nlohmann::ordered_json> rows;
    for (const auto& c : containers)
      if (c.row) rows.push_back(row_fields(c, f));
    return ui::render_rows(*tmpl, header, rows);
  }
  if (f.format == "json") {
    for (const auto& c : containers)
      if (c.row) out += row_fields(c, f).dump() + "\n";
    return out;
  }
  std::vector<ui::TableRow> rows;
  for (const auto& c : containers) {
    if (!c.row) continue;
    const auto& r = *c.row;
    rows.push_back({f.no_trunc ? r.id : r.id.substr(0, 12), r.name, r.cpu, r.mem_usage, r.mem, r.net_io, r.block_io,
                    r.pids});
  }
  return ui::format_table({"CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"},
                          rows);
}

}  // namespace

void stats(const GlobalOptions& global, const StatsOptions& f) {
  stats_template(f.format);  // a template is checked before anything is sampled
  auto project = load_project(global, f.services, ProjectFiles::Optional);
  auto engine = connect_engine();
  if (f.no_stream) {
    auto containers = containers_of(*engine, project.name, f);
    sample(*engine, containers);
    std::cout << render(containers, f) << std::flush;
    return;
  }
  // Until Ctrl-C: redrawn in place on a terminal, else one table per sample.
  std::atomic<bool> stop{false};
  SignalWatch signals([&](int, int) { stop = true; });
  const bool terminal = ui::is_terminal(STDOUT_FILENO);
  while (!stop) {
    auto containers = containers_of(*engine, project.name, f);
    sample(*engine, containers);
    if (stop) break;
    std::cout << (terminal ? "\033[2J\033[H" : "") << render(containers, f) << std::flush;
    if (containers.empty()) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}


}  // namespace berth::service
