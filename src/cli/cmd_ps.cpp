#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/model/labels.h"
#include "berth/ui/container_format.h"
#include "berth/ui/go_template.h"
#include "berth/ui/table.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {
namespace {

struct PsOptions {
  bool all = false;
  bool quiet = false;
  bool services_only = false;
  bool no_trunc = false;
  std::vector<std::string> status;
  std::vector<std::string> filters;
  std::string format = "table";
  std::vector<std::string> services;
};

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

std::string label(const engine::ContainerSummary& c, const char* key) {
  auto it = c.labels.find(key);
  return it == c.labels.end() ? std::string() : it->second;
}

std::string container_name(const engine::ContainerSummary& c) {
  if (c.names.empty()) return c.id.substr(0, 12);
  const auto& n = c.names.front();
  return n.starts_with("/") ? n.substr(1) : n;
}

nlohmann::ordered_json to_json(const engine::ContainerSummary& c, std::int64_t now) {
  nlohmann::ordered_json publishers = nlohmann::json::array();
  for (const auto& p : c.ports)
    publishers.push_back({{"URL", p.ip},
                          {"TargetPort", p.private_port},
                          {"PublishedPort", p.public_port},
                          {"Protocol", p.type}});
  return {{"ID", c.id},
          {"Name", container_name(c)},
          {"Image", c.image},
          {"Command", c.command},
          {"Project", label(c, model::labels::kProject)},
          {"Service", label(c, model::labels::kService)},
          {"Created", c.created},
          {"RunningFor", ui::human_duration(now - c.created) + " ago"},
          {"State", c.state},
          {"Status", c.status},
          {"Health", ui::health_from_status(c.status)},
          {"ExitCode", ui::exit_code_from_status(c.status)},
          {"Ports", ui::format_ports(c.ports)},
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
          {"Name", container_name(c)},
          {"Names", names},
          {"Project", label(c, model::labels::kProject)},
          {"Service", label(c, model::labels::kService)},
          {"Image", c.image},
          {"Command", ui::quoted_command(c.command, !trunc)},
          {"CreatedAt", created_at(c.created)},
          {"RunningFor", ui::human_duration(now - c.created) + " ago"},
          {"ExitCode", ui::exit_code_from_status(c.status)},
          {"State", c.state},
          {"Status", c.status},
          {"Health", ui::health_from_status(c.status)},
          {"Ports", ui::format_ports(c.ports)},
          {"Labels", labels},
          {"Networks", networks}};
}

void run_ps(PsOptions o, const GlobalOptions& global) {
  const auto tmpl = ps_template(o.format);
  apply_filters(o);
  auto project = load_project(global, o.services, ProjectFiles::Optional);
  auto docker = connect_engine();
  engine::ListContainersOptions list;
  list.all = o.all;
  list.filters["label"] = {std::string(model::labels::kProject) + "=" + project.name};
  auto containers = docker->list_containers(list);

  std::set<std::string> wanted_services(o.services.begin(), o.services.end());
  std::set<std::string> wanted_states(o.status.begin(), o.status.end());
  std::erase_if(containers, [&](const engine::ContainerSummary& c) {
    if (!wanted_services.empty() && !wanted_services.count(label(c, model::labels::kService))) return true;
    return !wanted_states.empty() && !wanted_states.count(c.state);
  });
  std::sort(containers.begin(), containers.end(),
            [](const auto& a, const auto& b) { return container_name(a) < container_name(b); });

  if (o.quiet) {
    for (const auto& c : containers) std::cout << c.id << "\n";
    return;
  }
  if (o.services_only) {
    std::vector<std::string> seen;
    for (const auto& c : containers) {
      auto s = label(c, model::labels::kService);
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
    rows.push_back({container_name(c), c.image, ui::quoted_command(c.command, o.no_trunc),
                    label(c, model::labels::kService), ui::human_duration(now - c.created) + " ago", c.status,
                    ui::format_ports(c.ports)});
  std::cout << ui::format_table({"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"}, rows);
}

}  // namespace

void register_ps(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("ps", "List containers");
  auto o = std::make_shared<PsOptions>();
  cmd->add_flag("-a,--all", o->all,
                "Show all stopped containers (including those created by the run command)");
  cmd->add_flag("-q,--quiet", o->quiet, "Only display IDs");
  cmd->add_flag("--services", o->services_only, "Display services");
  cmd->add_flag("--no-trunc", o->no_trunc, "Don't truncate output");
  cmd->add_option(
         "--status", o->status,
         "Filter services by status. Values: [paused | restarting | removing | running | dead | created | "
         "exited]")
      ->type_name("STATUS");
  cmd->add_option("--filter", o->filters, "Filter services by a property (supported filters: status)")
      ->type_name("KEY=VALUE");
  cmd->add_option("--format", o->format,
                  "Format the output: table (default), json, or a Go template (\"{{.Name}}\\t{{.Status}}\", "
                  "\"table {{.Name}}\\t{{.Ports}}\")");
  cmd->add_option("service", o->services, "Services to list (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { run_ps(*o, *global); });
}

}  // namespace berth::cli
