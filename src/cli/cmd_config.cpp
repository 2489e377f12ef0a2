#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "berth/cli/global_options.h"
#include "berth/loader/diagnostics.h"
#include "berth/loader/environments.h"
#include "berth/loader/interpolation.h"
#include "berth/loader/load.h"
#include "cli/security_policy.h"
#include "berth/loader/merge_keys.h"
#include "berth/loader/project_files.h"
#include "berth/loader/yaml_reader.h"
#include "berth/model/byte_sizes.h"
#include "berth/model/config_hash.h"
#include "berth/model/field_order.h"
#include "berth/model/omit_empty.h"
#include "berth/model/output.h"
#include "berth/util/error.h"
#include "cli/app.h"

namespace berth::cli {
namespace {

// The flags that print names, one per line, instead of the model. When
// several are given, the first in this table wins (docker compose's order).
struct NameListing {
  const char* flag;
  const char* help;
  std::vector<std::string> (*names)(const model::Project&);
};

const std::vector<NameListing>& name_listings() {
  static const std::vector<NameListing> listings = {
      {"--services", "Print the service names, one per line",
       [](const model::Project& p) {
         std::vector<std::string> names;
         for (const auto& s : p.services) names.push_back(s.name);
         return names;
       }},
      {"--volumes", "Print the volume names, one per line",
       [](const model::Project& p) {
         std::vector<std::string> names;
         for (const auto& v : p.volumes) names.push_back(v.key);
         return names;
       }},
      {"--networks", "Print the network names, one per line",
       [](const model::Project& p) {
         std::vector<std::string> names;
         for (const auto& n : p.networks) names.push_back(n.key);
         return names;
       }},
      {"--profiles", "Print the profile names, one per line",
       [](const model::Project& p) {
         std::set<std::string> all;
         for (const auto* list : {&p.services, &p.disabled_services})
           for (const auto& s : *list) all.insert(s.profiles.begin(), s.profiles.end());
         return std::vector<std::string>(all.begin(), all.end());
       }},
      {"--images", "Print the image names, one per line",
       [](const model::Project& p) {
         std::vector<std::string> names;
         for (const auto& s : p.services) names.push_back(s.image_name(p.name));
         return names;
       }},
  };
  return listings;
}

// The flags that switch a loader stage off: each clears one LoadOptions field.
struct StageFlag {
  const char* flag;
  const char* help;
  bool loader::LoadOptions::*stage;
};

const std::vector<StageFlag>& stage_flags() {
  static const std::vector<StageFlag> flags = {
      {"--no-interpolate", "Don't interpolate environment variables", &loader::LoadOptions::interpolate},
      {"--no-normalize", "Don't normalize compose model", &loader::LoadOptions::normalize},
      {"--no-path-resolution", "Don't resolve file paths", &loader::LoadOptions::resolve_paths},
      {"--no-consistency", "Don't check model consistency - warning: may produce invalid Compose output",
       &loader::LoadOptions::consistency},
  };
  return flags;
}

struct ConfigOptions {
  std::string format = "yaml";
  std::string output;
  bool quiet = false;
  const NameListing* listing = nullptr;  // the chosen --services/--volumes/...
  std::string hash;
  bool variables = false;
  bool environment = false;
  bool resolve_image_digests = false;
  loader::LoadOptions load;  // stages switched off by the --no-* flags
  std::vector<std::string> selected;
};

void print_warnings(const loader::Diagnostics& diagnostics) {
  for (const auto& w : diagnostics.warnings()) std::cerr << "WARN[0000] " << w.to_string() << "\n";
}

std::string variables_table(const loader::ProjectOptions& options) {
  loader::Diagnostics quiet;
  const loader::Environment process_env = loader::process_environment();
  auto resolved = loader::resolve_project(options, process_env, quiet);
  // A named environment (--env) adds its files, whose variables count too.
  if (options.environment && !options.environment->empty())
    loader::apply_environment(resolved, *options.environment, process_env);
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

// "# set by berth policy (standard)" on each line the policy wrote (YAML only;
// JSON keeps the dev.berth.policy label alone).
std::map<std::string, std::string> policy_comments(const policy::PolicyResult& policy) {
  std::map<std::string, std::string> comments;
  for (const auto& service : policy.services) {
    const std::string comment = std::string("set by berth policy (") + policy::to_string(service.level) + ")";
    const std::string prefix = "/services/" + service.service;
    for (const auto& pointer : service.pointers) comments.emplace_hint(comments.end(), prefix + pointer, comment);
  }
  return comments;
}

// `config` exits right after printing: freeing a large project's trees
// first would cost about as much as writing them out (a tenth of the whole
// run for 200 services), so they are handed to the OS with the process.
template <typename T>
void release_at_exit(T&& value) {
  new std::decay_t<T>(std::forward<T>(value));
}

// The project's JSON is moved out for printing: `project` is spent afterwards.
std::string render(const ConfigOptions& o, model::Project& project, const policy::PolicyResult& policy) {
  std::ostringstream out;
  if (o.listing) {
    for (const auto& name : o.listing->names(project)) out << name << "\n";
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
    const std::set<std::string> keep =
        o.selected.empty() ? std::set<std::string>() : project.with_dependencies(o.selected);
    nlohmann::json doc = std::move(project).to_json();
    if (!o.selected.empty()) {
      nlohmann::json services = nlohmann::json::object();
      for (const auto& name : keep)
        if (doc["services"].contains(name)) services[name] = std::move(doc["services"][name]);
      doc["services"] = std::move(services);
    }
    // Printed output is meant to be read again as a compose file, which interpolates.
    if (o.load.interpolate) model::escape_dollars(doc);
    // As docker compose prints it: zero values left out, whole floats as
    // integers, struct fields in compose-go's order (JSON: unset commands null).
    model::omit_zero_values(doc);
    model::whole_floats_as_integers(doc);
    model::byte_sizes_as_strings(doc);
    if (o.format == "json") {
      model::unset_commands_as_null(doc);
      std::string text = model::in_compose_order(doc).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
      model::go_json_escapes(text);
      out << text << "\n";
    } else {
      out << model::to_yaml(doc, policy_comments(policy));
    }
    release_at_exit(std::move(doc));
  }
  return std::move(out).str();
}

void run_config(const ConfigOptions& o, const GlobalOptions& global) {
  if (o.resolve_image_digests)
    throw Error(ErrorKind::Usage, "--resolve-image-digests is not supported: it needs a registry");
  std::string text;
  if (o.variables) {
    text = variables_table(global.project);
  } else {
    loader::LoadOptions load_options = o.load;
    load_options.services = o.selected;
    const bool previews_policy = load_options.normalize && load_options.interpolate;
    // The policy asks the engine about the images: connect while loading.
    if (previews_policy) {
      start_engine_for_image_facts();
      load_options.images_known = start_asking_about_images;
    }
    struct FinishAsking {
      ~FinishAsking() { finish_asking_about_images(); }
    } finish_asking;
    loader::Diagnostics diagnostics;
    model::Project project;
    try {
      project = loader::load(global.project, diagnostics, load_options);
    } catch (...) {
      print_warnings(diagnostics);
      throw;
    }
    print_warnings(diagnostics);
    policy::PolicyResult policy;
    if (previews_policy) policy = preview_security_policy(project, global);
    text = render(o, project, policy);
    release_at_exit(std::move(project));
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
  for (const auto& listing : name_listings())
    cmd->add_flag_callback(
        listing.flag,
        [o, chosen = &listing] {
          if (!o->listing || chosen < o->listing) o->listing = chosen;
        },
        listing.help);
  cmd->add_option("--hash", o->hash, "Print the service config hash, one per line (SERVICE,... or *)");
  cmd->add_flag("--variables", o->variables, "Print model variables and default values");
  cmd->add_flag("--environment", o->environment, "Print environment used for interpolation");
  for (const auto& flag : stage_flags())
    cmd->add_flag_callback(flag.flag, [o, stage = flag.stage] { o->load.*stage = false; }, flag.help);
  cmd->add_flag("--resolve-image-digests", o->resolve_image_digests, "Pin image tags to digests (not supported)");
  cmd->add_option("service", o->selected, "Services to render (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { run_config(*o, *global); });
}

}  // namespace berth::cli
