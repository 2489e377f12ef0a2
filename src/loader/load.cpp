#include "berth/loader/load.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/loader/consistency.h"
#include "berth/loader/diagnostics.h"
#include "berth/loader/environment.h"
#include "berth/loader/extends.h"
#include "berth/loader/include.h"
#include "berth/loader/interpolation.h"
#include "berth/loader/merge.h"
#include "berth/loader/merge_keys.h"
#include "berth/loader/normalize.h"
#include "berth/loader/profiles.h"
#include "berth/loader/project_files.h"
#include "berth/loader/to_json.h"
#include "berth/loader/yaml_reader.h"
#include "berth/schema/compose_spec.h"

namespace berth::loader {

using nlohmann::json;

namespace {

std::vector<Node> read_documents(const ConfigFile& file) {
  if (file.content) return read_yaml_documents(*file.content, file.display_name());
  return read_yaml_file(file.path);
}

void validate_against_schema(const json& doc, const PositionMap& positions) {
  auto errors = schema::compose_spec().validate(doc, 1);
  if (errors.empty()) return;
  const auto& e = errors.front();
  SourceMark mark = e.keyword == "additionalProperties" ? positions.key_lookup(e.pointer())
                                                        : positions.lookup(e.pointer());
  throw config_error(mark, e.message);
}

}  // namespace

model::Project load(const ProjectOptions& options, Diagnostics& diagnostics,
                    const LoadOptions& load_options) {
  Environment process_env = process_environment();
  ResolvedProject resolved = resolve_project(options, process_env, diagnostics);

  std::vector<Node> layers;
  for (const auto& file : resolved.files) {
    std::vector<Node> documents = read_documents(file);
    for (auto& document : documents) apply_merge_keys(document);
    Node layer = merge_all(documents);
    if (load_options.interpolate) interpolate(layer, resolved.env, diagnostics);
    std::string path = file.content ? resolved.project_dir + "/" + file.display_name() : file.path;
    IncludeContext include_context{process_env, &diagnostics, load_options.interpolate, {path}};
    resolve_includes(layer, path, resolved.project_dir, include_context);
    layers.push_back(std::move(layer));
  }
  Node merged = merge_all(layers);
  std::string first_file = resolved.files.empty() || resolved.files.front().content
                               ? resolved.project_dir + "/compose.yaml"
                               : resolved.files.front().path;
  resolve_extends(merged, first_file,
                  make_document_reader(resolved.env, diagnostics, load_options.interpolate));

  if (const Node* version = merged.find("version")) {
    diagnostics.warn("the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion",
                     version->mark());
    merged.erase("version");
  }

  json doc;
  auto positions = std::make_shared<PositionMap>(to_json(merged, doc));
  if (load_options.interpolate) validate_against_schema(doc, *positions);

  std::optional<std::string> name_from_files;
  if (auto name = doc.find("name"); name != doc.end() && name->is_string()) name_from_files = name->get<std::string>();
  doc["name"] = choose_project_name(resolved, name_from_files);

  JsonStageInput input;
  input.project_dir = resolved.project_dir;
  for (const auto& file : resolved.files) input.config_files.push_back(file.content ? "-" : file.path);
  input.environment = resolved.env;
  input.profiles = resolved.profiles;
  input.mark = [positions](const std::string& pointer) { return positions->lookup(pointer); };
  return load_json(std::move(doc), input, load_options);
}

model::Project load_json(nlohmann::json doc, const JsonStageInput& input, const LoadOptions& load_options) {
  if (!doc.is_object()) throw Error(ErrorKind::Config, "the project must be a mapping");
  std::string name = doc.value("name", "");
  MarkLookup mark = input.mark;
  if (load_options.normalize) {
    CanonicalContext canonical;
    canonical.project_dir = input.project_dir;
    canonical.environment = input.environment;
    canonical.mark = input.mark;
    canonical.resolve_paths = load_options.resolve_paths;
    auto aliases = std::make_shared<PointerAliases>();
    canonicalize(doc, canonical, aliases.get());
    mark = with_aliases(input.mark, aliases);
    normalize(doc, NormalizeContext{name});
  }
  for (const auto& service : load_options.services)
    if (!doc.contains("services") || !doc["services"].contains(service))
      throw Error(ErrorKind::Usage, "no such service: " + service);

  json disabled = apply_profiles(doc, ProfileSelection{input.profiles, load_options.services}, mark);
  if (load_options.consistency) check_consistency(doc, disabled, mark);

  model::Project project = model::Project::from_json(std::move(doc), std::move(disabled));
  project.working_dir = input.project_dir;
  project.config_files = input.config_files;
  project.environment = input.environment;
  project.profiles = input.profiles;
  project.source_mark = mark;
  return project;
}

}  // namespace berth::loader
