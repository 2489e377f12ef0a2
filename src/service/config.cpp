// `berth config` and `berth audit`: the loaded project as the policy leaves
// it, and the policy's findings.
#include "berth/service/config.h"

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "berth/exec/engine_image_facts.h"
#include "berth/loader/variables.h"
#include "berth/model/byte_sizes.h"
#include "berth/model/file_modes.h"
#include "berth/model/config_hash.h"
#include "berth/model/field_order.h"
#include "berth/model/omit_empty.h"
#include "berth/model/output.h"
#include "berth/model/unused_resources.h"
#include "berth/policy/findings_format.h"
#include "berth/policy/security_policy.h"
#include "berth/stack/service_spec.h"
#include "berth/service/global_options.h"
#include "berth/ui/table.h"
#include "berth/util/error.h"
#include "project_loading.h"
#include "security.h"

namespace berth::service {
namespace {

std::vector<std::string> listed_names(ConfigListing listing, const model::Project& p) {
  std::vector<std::string> names;
  switch (listing) {
    case ConfigListing::None: break;
    case ConfigListing::Services:
      for (const auto& s : p.services) names.push_back(s.name);
      break;
    case ConfigListing::Volumes:
      for (const auto& v : p.volumes) names.push_back(v.key);
      break;
    case ConfigListing::Networks:
      for (const auto& n : p.networks) names.push_back(n.key);
      break;
    case ConfigListing::Profiles: {
      std::set<std::string> all;
      for (const auto* list : {&p.services, &p.disabled_services})
        for (const auto& s : *list) all.insert(s.profiles.begin(), s.profiles.end());
      names.assign(all.begin(), all.end());
      break;
    }
    case ConfigListing::Images:
      for (const auto& s : p.services) names.push_back(s.image_name(p.name));
      break;
    case ConfigListing::Models:
      for (const auto& m : p.models)
        if (auto model = m.json->find("model"); model != m.json->end() && model->is_string() && !model->empty())
          names.push_back(model->get<std::string>());
      break;
  }
  return names;
}

std::string variables_table(const std::map<std::string, loader::ProjectVariable>& variables) {
  size_t width = 4;
  for (const auto& [name, _] : variables) width = std::max(width, name.size());
  std::ostringstream out;
  auto line = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d) {
    out << a << std::string(width + 3 - a.size(), ' ') << b << std::string(b.size() < 11 ? 11 - b.size() : 1, ' ')
        << c << std::string(c.size() < 16 ? 16 - c.size() : 1, ' ') << d << "\n";
  };
  line("NAME", "REQUIRED", "DEFAULT VALUE", "ALTERNATE VALUE");
  for (const auto& [name, v] : variables) line(name, v.required ? "true" : "false", v.default_value, v.alternate);
  return out.str();
}

// compose-go's template.Variable by name: JSON with its Go field names in
// their order (4-space indent, as docker compose's formatter prints it),
// YAML with yaml.v3's lower-cased ones.
std::string variables_document(const std::map<std::string, loader::ProjectVariable>& variables,
                               const std::string& format) {
  if (format == "json") {
    nlohmann::ordered_json doc = nlohmann::ordered_json::object();
    for (const auto& [name, v] : variables)
      doc[name] = {{"Name", name}, {"DefaultValue", v.default_value}, {"PresenceValue", v.alternate},
                   {"Required", v.required}};
    return doc.dump(4) + "\n";
  }
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& [name, v] : variables)
    doc[name] = {{"name", name}, {"defaultvalue", v.default_value}, {"presencevalue", v.alternate},
                 {"required", v.required}};
  return model::to_yaml(doc);
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
std::string render(const ConfigOptions& o, model::Project& project, const policy::PolicyResult& policy,
                   bool all_resources) {
  std::ostringstream out;
  if (o.listing != ConfigListing::None) {
    for (const auto& name : listed_names(o.listing, project)) out << name << "\n";
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
        o.services.empty() ? std::set<std::string>() : project.with_dependencies(o.services);
    nlohmann::json doc = std::move(project).to_json();
    if (!o.services.empty()) {
      nlohmann::json services = nlohmann::json::object();
      for (const auto& name : keep)
        if (doc["services"].contains(name)) services[name] = std::move(doc["services"][name]);
      doc["services"] = std::move(services);
      if (!all_resources) model::drop_unused_resources(doc);
    }
    // Printed output is meant to be read again as a compose file, which interpolates.
    if (o.load.interpolate) model::escape_dollars(doc);
    // As docker compose prints it: zero values left out, whole floats as
    // integers, struct fields in compose-go's order (JSON: unset commands null).
    model::omit_zero_values(doc);
    model::whole_floats_as_integers(doc);
    model::byte_sizes_as_strings(doc);
    model::file_modes_as_octal_strings(doc);
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

std::string location(const policy::Finding& f, const std::string& base_dir) {
  std::string file = policy::display_file(f.mark.file, base_dir);
  if (f.mark.line > 0) file += ":" + std::to_string(f.mark.line);
  return file;
}

std::string references(const policy::Finding& f) {
  std::string out = f.cis.empty() ? "" : "CIS " + f.cis;
  if (!f.owasp.empty()) out += (out.empty() ? "OWASP " : ", OWASP ") + f.owasp;
  return out;
}

std::string table(const std::vector<policy::Finding>& findings, const std::string& base_dir) {
  std::vector<ui::TableRow> rows;
  size_t open = 0;
  for (const auto& f : findings) {
    open += f.mitigated ? 0 : 1;
    rows.push_back({policy::to_string(f.severity), f.mitigated ? "mitigated" : "open", f.id, f.service,
                    location(f, base_dir), references(f), f.message});
  }
  std::string out = ui::format_table({"SEVERITY", "STATUS", "ID", "SERVICE", "LOCATION", "REFERENCE", "MESSAGE"}, rows);
  out += "\n" + std::to_string(findings.size()) + " findings, " + std::to_string(open) +
         " open (not mitigated by the security level); --format json shows how to fix each\n";
  return out;
}

}  // namespace

void config(const GlobalOptions& global, const ConfigOptions& o) {
  if (o.resolve_image_digests)
    throw Error(ErrorKind::Usage, "--resolve-image-digests is not supported: it needs a registry");
  if (o.lock_image_digests)
    throw Error(ErrorKind::Usage, "--lock-image-digests is not supported: it needs a registry");
  if (o.format == "table" && !o.variables)
    throw Error(ErrorKind::Usage, "--format table is for --variables; the model prints as yaml or json");
  std::string text;
  if (o.variables) {
    auto variables = loader::project_variables(global.project);
    text = o.format.empty() || o.format == "table" ? variables_table(variables) : variables_document(variables, o.format);
  } else {
    loader::LoadOptions load_options = o.load;
    load_options.services = o.services;
    // As docker compose does, `--hash web` reads the env files of web only:
    // another service's missing env file does not stop it.
    if (!o.hash.empty() && o.hash != "*") {
      std::set<std::string> hashed;
      std::stringstream list(o.hash);
      for (std::string item; std::getline(list, item, ',');) hashed.insert(item);
      if (!hashed.count("*")) load_options.environment_of = std::move(hashed);
    }
    const bool previews_policy = load_options.normalize && load_options.interpolate;
    // The policy asks the engine about the images: connect and ask while
    // the files load (the facts' threads are joined when it goes away).
    std::optional<exec::EngineImageFacts> facts;
    if (previews_policy) {
      facts.emplace();
      load_options.images_known = [&](const std::vector<std::string>& images) { facts->expect(images); };
    }
    auto project = load_project(global, {}, ProjectFiles::Required, load_options);
    policy::PolicyResult policy;
    if (previews_policy) {
      policy = policy::SecurityPolicy(policy_options(global, project), *facts).preview(project);
      for (const auto& refusal : policy.refusals) std::cerr << "WARN[0000] " << refusal.to_string() << "\n";
    }
    text = render(o, project, policy, global.project.all_resources);
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

int audit(const GlobalOptions& global, const AuditOptions& o) {
  std::optional<policy::Severity> threshold;
  if (!o.fail_on.empty()) threshold = policy::parse_severity(o.fail_on);
  // The project as written: `up` applies the policy before creating
  // containers, the audit compares the two itself.
  auto project = load_project(global, {}, ProjectFiles::Required);
  exec::EngineImageFacts facts;
  auto findings = policy::SecurityPolicy(policy_options(global, project), facts).audit(project);
  if (o.target == "swarm")
    for (auto& f : findings)
      if (f.mitigated && !stack::swarm_enforces_fix(f.id)) {
        f.mitigated = false;
        f.message += " (berth's default fixes it for containers; a swarm service cannot carry that setting)";
      }
  if (o.format == "json")
    std::cout << model::to_json_text(policy::findings_json(findings, project.working_dir)) << "\n";
  else if (o.format == "sarif")
    std::cout << model::to_json_text(policy::findings_sarif(findings, project.working_dir)) << "\n";
  else
    std::cout << table(findings, project.working_dir);
  return threshold && policy::count_failing(findings, *threshold) > 0 ? 1 : 0;
}


}  // namespace berth::service
