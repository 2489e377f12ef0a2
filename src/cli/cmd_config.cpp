#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "berth/cli/global_options.h"
#include "berth/loader/diagnostics.h"
#include "berth/loader/interpolation.h"
#include "berth/loader/load.h"
#include "cli/security_policy.h"
#include "berth/loader/merge_keys.h"
#include "berth/loader/project_files.h"
#include "berth/loader/yaml_reader.h"
#include "berth/model/config_hash.h"
#include "berth/model/output.h"
#include "berth/util/error.h"
#include "cli/app.h"

namespace berth::cli {
namespace {

struct ConfigOptions {
  std::string format = "yaml";
  std::string output;
  bool quiet = false;
  bool services = false;
  bool volumes = false;
  bool networks = false;
  bool profiles = false;
  bool images = false;
  std::string hash;
  bool variables = false;
  bool environment = false;
  bool no_interpolate = false;
  bool no_normalize = false;
  bool no_path_resolution = false;
  bool no_consistency = false;
  bool resolve_image_digests = false;
  std::vector<std::string> selected;
};

void print_warnings(const loader::Diagnostics& diagnostics) {
  for (const auto& w : diagnostics.warnings()) std::cerr << "WARN[0000] " << w.to_string() << "\n";
}

std::string variables_table(const loader::ProjectOptions& options) {
  loader::Diagnostics quiet;
  auto resolved = loader::resolve_project(options, loader::process_environment(), quiet);
  struct Row {
    bool required = false;
    std::string default_value, alternate;
  };
  std::map<std::string, Row> rows;
  for (const auto& file : resolved.files) {
    auto documents = file.content ? loader::read_yaml_documents(*file.content, file.display_name())
                                  : loader::read_yaml_file(file.path);
    for (auto& doc : documents) {
      loader::apply_merge_keys(doc);
      for (const auto& use : loader::list_variables(doc)) {
        Row& row = rows[use.name];
        row.required = row.required || use.required;
        if (use.default_value) row.default_value = *use.default_value;
        if (use.alternate_value) row.alternate = *use.alternate_value;
      }
    }
  }
  size_t width = 4;
  for (const auto& [name, _] : rows) width = std::max(width, name.size());
  std::ostringstream out;
  auto line = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d) {
    out << a << std::string(width + 3 - a.size(), ' ') << b << std::string(b.size() < 11 ? 11 - b.size() : 1, ' ')
        << c << std::string(c.size() < 16 ? 16 - c.size() : 1, ' ') << d << "\n";
  };
  line("NAME", "REQUIRED", "DEFAULT VALUE", "ALTERNATE VALUE");
  for (const auto& [name, row] : rows) line(name, row.required ? "true" : "false", row.default_value, row.alternate);
  return out.str();
}

std::string render(const ConfigOptions& o, const model::Project& project) {
  std::ostringstream out;
  if (o.services) {
    for (const auto& s : project.services) out << s.name << "\n";
  } else if (o.volumes) {
    for (const auto& v : project.volumes) out << v.key << "\n";
  } else if (o.networks) {
    for (const auto& n : project.networks) out << n.key << "\n";
  } else if (o.profiles) {
    std::set<std::string> all;
    for (const auto* list : {&project.services, &project.disabled_services})
      for (const auto& s : *list) all.insert(s.profiles.begin(), s.profiles.end());
    for (const auto& p : all) out << p << "\n";
  } else if (o.images) {
    for (const auto& s : project.services) out << s.image_name(project.name) << "\n";
  } else if (!o.hash.empty()) {
    std::set<std::string> wanted;
    std::stringstream list(o.hash);
    for (std::string item; std::getline(list, item, ',');) wanted.insert(item);
    for (const auto& name : wanted)
      if (name != "*" && !project.find_service(name)) throw Error(ErrorKind::Usage, "no such service: " + name);
    for (const auto& s : project.services)
      if (wanted.count("*") || wanted.count(s.name)) out << s.name << " " << model::config_hash(s) << "\n";
  } else if (o.environment) {
    for (const auto& [key, value] : project.environment) out << key << "=" << value << "\n";
  } else {
    nlohmann::json doc = project.to_json();
    if (!o.selected.empty()) {
      auto keep = project.with_dependencies(o.selected);
      nlohmann::json services = nlohmann::json::object();
      for (const auto& name : keep)
        if (doc["services"].contains(name)) services[name] = doc["services"][name];
      doc["services"] = std::move(services);
    }
    // Printed output is meant to be read again as a compose file, which interpolates.
    if (!o.no_interpolate) model::escape_dollars(doc);
    if (o.format == "json") out << model::to_json_text(doc) << "\n";
    else out << model::to_yaml(doc);
  }
  return out.str();
}

void run_config(const ConfigOptions& o, const GlobalOptions& global) {
  if (o.resolve_image_digests)
    throw Error(ErrorKind::Usage, "--resolve-image-digests is not supported: it needs a registry");
  std::string text;
  if (o.variables) {
    text = variables_table(global.project);
  } else {
    loader::LoadOptions load_options;
    load_options.interpolate = !o.no_interpolate;
    load_options.normalize = !o.no_normalize;
    load_options.resolve_paths = !o.no_path_resolution;
    load_options.consistency = !o.no_consistency;
    load_options.services = o.selected;
    loader::Diagnostics diagnostics;
    model::Project project;
    try {
      project = loader::load(global.project, diagnostics, load_options);
    } catch (...) {
      print_warnings(diagnostics);
      throw;
    }
    print_warnings(diagnostics);
    if (load_options.normalize && load_options.interpolate) preview_security_policy(project, global);
    text = render(o, project);
  }
  if (o.quiet) return;
  if (o.output.empty()) {
    std::cout << text;
    return;
  }
  std::ofstream file(o.output, std::ios::binary | std::ios::trunc);
  if (!file || !(file << text)) throw Error(ErrorKind::Io, "cannot write " + o.output);
}

}  // namespace

void register_config(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("config", "Parse, resolve and render compose file in canonical format");
  auto o = std::make_shared<ConfigOptions>();
  cmd->add_option("--format", o->format, "Format the output. Values: [yaml | json]")
      ->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_option("-o,--output", o->output, "Save to file (default to stdout)");
  cmd->add_flag("-q,--quiet", o->quiet, "Only validate the configuration, don't print anything");
  cmd->add_flag("--services", o->services, "Print the service names, one per line");
  cmd->add_flag("--volumes", o->volumes, "Print the volume names, one per line");
  cmd->add_flag("--networks", o->networks, "Print the network names, one per line");
  cmd->add_flag("--profiles", o->profiles, "Print the profile names, one per line");
  cmd->add_flag("--images", o->images, "Print the image names, one per line");
  cmd->add_option("--hash", o->hash, "Print the service config hash, one per line (SERVICE,... or *)");
  cmd->add_flag("--variables", o->variables, "Print model variables and default values");
  cmd->add_flag("--environment", o->environment, "Print environment used for interpolation");
  cmd->add_flag("--no-interpolate", o->no_interpolate, "Don't interpolate environment variables");
  cmd->add_flag("--no-normalize", o->no_normalize, "Don't normalize compose model");
  cmd->add_flag("--no-path-resolution", o->no_path_resolution, "Don't resolve file paths");
  cmd->add_flag("--no-consistency", o->no_consistency,
                "Don't check model consistency - warning: may produce invalid Compose output");
  cmd->add_flag("--resolve-image-digests", o->resolve_image_digests, "Pin image tags to digests (not supported)");
  cmd->add_option("service", o->selected, "Services to render (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { run_config(*o, *global); });
}

}  // namespace berth::cli
