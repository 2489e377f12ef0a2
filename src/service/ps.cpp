// `berth ps`: the project's containers, as docker compose lists them.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/service/listing.h"
#include "berth/util/error.h"
#include "ports_text.h"
#include "project_loading.h"
#include "session.h"
#include "berth/ui/container_format.h"
#include "berth/ui/go_template.h"
#include "berth/ui/table.h"

namespace berth::service {
namespace {

const std::set<std::string>& known_states() {
  static const std::set<std::string> states = {"paused", "restarting", "removing", "running",
                                               "dead",   "created",    "exited"};
  return states;
}

// --filter KEY=VALUE: docker compose knows only `status`.
void apply_filters(PsOptions& o) {
  for (const auto& f : o.filters) {
    auto eq = f.find('=');
    if (eq == std::string::npos)
      throw Error(ErrorKind::Usage, "bad --filter \"" + f + "\": expected KEY=VALUE");
    auto key = f.substr(0, eq);
    if (key != "status")
      throw Error(ErrorKind::Usage, "unsupported --filter key \"" + key + "\": only status is supported");
    o.status.push_back(f.substr(eq + 1));
  }
  for (const auto& s : o.status)
    if (!known_states().count(s))
      throw Error(
          ErrorKind::Usage,
          "invalid status \"" + s + "\": use paused, restarting, removing, running, dead, created or exited");
  if (!o.status.empty()) o.all = true;
}

nlohmann::ordered_json to_json(const engine::ContainerSummary& c, std::int64_t now) {
  nlohmann::ordered_json publishers = nlohmann::json::array();
  for (const auto& p : c.ports)
    publishers.push_back({{"URL", p.ip},
                          {"TargetPort", p.private_port},
                          {"PublishedPort", p.public_port},
                          {"Protocol", p.type}});
  return {{"ID", c.id},
          {"Name", c.name()},
          {"Image", c.image},
          {"Command", c.command},
          {"Project", c.label(model::labels::kProject)},
          {"Service", c.label(model::labels::kService)},
          {"Created", c.created},
          {"RunningFor", ui::human_duration(now - c.created) + " ago"},
          {"State", c.state},
          {"Status", c.status},
          {"Health", ui::health_from_status(c.status)},
          {"ExitCode", ui::exit_code_from_status(c.status)},
          {"Ports", format_ports(c.ports)},
          {"Publishers", publishers}};
}

// Go's time.Time.String() of the creation time, in local time, as compose's
// {{.CreatedAt}} prints it: "2026-11-28 19:00:00 +0000 UTC".
std::string created_at(std::int64_t created) {
  const std::time_t seconds = static_cast<std::time_t>(created);
  std::tm local{};
  localtime_r(&seconds, &local);
  char text[64];
  return std::string(text, std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %z %Z", &local));
}

// compose's ps template fields (its ContainerContext) that berth has the data
// for, with their table headers. Mounts, LocalVolumes, Size and Publishers'
// Go struct text are not offered: a template naming them is refused.
const nlohmann::ordered_json& template_headers() {
  static const nlohmann::ordered_json headers = {
      {"ID", "CONTAINER ID"}, {"Name", "NAME"},         {"Names", "NAMES"},     {"Project", "PROJECT"},
      {"Service", "SERVICE"}, {"Image", "IMAGE"},       {"Command", "COMMAND"}, {"CreatedAt", "CREATED AT"},
      {"RunningFor", "CREATED"}, {"ExitCode", "EXIT CODE"}, {"State", "STATE"}, {"Status", "STATUS"},
      {"Health", "HEALTH"},   {"Ports", "PORTS"},       {"Labels", "LABELS"},   {"Networks", "NETWORKS"}};
  return headers;
}

// A --format that is neither "table" nor "json": a Go template (checked
// before the engine is asked).
std::optional<ui::GoTemplate> ps_template(const std::string& format) {
  if (format == "table" || format == "json") return std::nullopt;
  std::vector<std::string> fields;
  for (const auto& [field, header] : template_headers().items()) fields.push_back(field);
  return ui::GoTemplate(format, std::move(fields));
}

// One container as compose's ContainerContext shows it to a template; with
// `trunc` (no --no-trunc) the ID and command are shortened as in its table.
nlohmann::ordered_json template_fields(const engine::ContainerSummary& c, std::int64_t now, bool trunc) {
  std::vector<std::string> stripped;
  for (const auto& n : c.names) stripped.push_back(n.starts_with("/") ? n.substr(1) : n);
  // Shortened: the first name that is not a legacy link's ("other/alias").
  if (trunc)
    if (auto own = std::find_if(stripped.begin(), stripped.end(),
                                [](const std::string& n) { return n.find('/') == std::string::npos; });
        own != stripped.end())
      stripped = {*own};
  std::string names;
  for (const auto& n : stripped) names += (names.empty() ? "" : ",") + n;
  std::string labels;
  for (const auto& [key, value] : c.labels) labels += (labels.empty() ? "" : ",") + key + "=" + value;
  std::string networks;
  for (const auto& n : c.networks) networks += (networks.empty() ? "" : ",") + n;
  return {{"ID", trunc ? c.id.substr(0, 12) : c.id},
          {"Name", c.name()},
          {"Names", names},
          {"Project", c.label(model::labels::kProject)},
          {"Service", c.label(model::labels::kService)},
          {"Image", c.image},
          {"Command", ui::quoted_command(c.command, !trunc)},
          {"CreatedAt", created_at(c.created)},
          {"RunningFor", ui::human_duration(now - c.created) + " ago"},
          {"ExitCode", ui::exit_code_from_status(c.status)},
          {"State", c.state},
          {"Status", c.status},
          {"Health", ui::health_from_status(c.status)},
          {"Ports", format_ports(c.ports)},
          {"Labels", labels},
          {"Networks", networks}};
}

}  // namespace

void ps(const GlobalOptions& global, PsOptions o) {
  const auto tmpl = ps_template(o.format);
  apply_filters(o);
  auto project = load_project(global, o.services, ProjectFiles::Optional);
  auto engine = connect_engine();
  engine::ListContainersOptions list;
  list.all = o.all;
  list.filters["label"] = {std::string(model::labels::kProject) + "=" + project.name};
  auto containers = engine->list_containers(list);

  std::set<std::string> wanted_services(o.services.begin(), o.services.end());
  std::set<std::string> wanted_states(o.status.begin(), o.status.end());
  // Without compose files (-p alone) every service is unknown: none is an orphan.
  const bool hide_orphans = !o.orphans && !(project.services.empty() && project.disabled_services.empty());
  auto declared = [&](const std::string& service) {
    return project.find_service(service) ||
           std::any_of(project.disabled_services.begin(), project.disabled_services.end(),
                       [&](const model::Service& s) { return s.name == service; });
  };
  std::erase_if(containers, [&](const engine::ContainerSummary& c) {
    const std::string service = c.label(model::labels::kService);
    if (!wanted_services.empty() && !wanted_services.count(service)) return true;
    if (hide_orphans && !declared(service)) return true;
    return !wanted_states.empty() && !wanted_states.count(c.state);
  });
  std::sort(containers.begin(), containers.end(),
            [](const auto& a, const auto& b) { return a.name() < b.name(); });

  if (o.quiet) {
    for (const auto& c : containers) std::cout << c.id << "\n";
    return;
  }
  if (o.services_only) {
    std::vector<std::string> seen;
    for (const auto& c : containers) {
      auto s = c.label(model::labels::kService);
      if (std::find(seen.begin(), seen.end(), s) == seen.end()) seen.push_back(s);
    }
    for (const auto& s : seen) std::cout << s << "\n";
    return;
  }
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  if (tmpl) {
    std::vector<nlohmann::ordered_json> rows;
    for (const auto& c : containers) rows.push_back(template_fields(c, now, !o.no_trunc));
    std::cout << ui::render_rows(*tmpl, template_headers(), rows);
    return;
  }
  if (o.format == "json") {
    for (const auto& c : containers)
      std::cout << to_json(c, now).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  std::vector<ui::TableRow> rows;
  for (const auto& c : containers)
    rows.push_back({c.name(), c.image, ui::quoted_command(c.command, o.no_trunc),
                    c.label(model::labels::kService), ui::human_duration(now - c.created) + " ago", c.status,
                    format_ports(c.ports)});
  std::cout << ui::format_table({"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"}, rows);
}


}  // namespace berth::service
