#include "berth/loader/load.h"

#include <future>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <system_error>
#include <tuple>

#include "consistency.h"
#include "berth/loader/diagnostics.h"
#include "berth/loader/environment.h"
#include "berth/loader/environments.h"
#include "extends.h"
#include "include.h"
#include "interpolation.h"
#include "merge.h"
#include "merge_keys.h"
#include "normalize.h"
#include "profiles.h"
#include "berth/loader/project_files.h"
#include "to_json.h"
#include "berth/model/unused_resources.h"
#include "yaml_reader.h"
#include "berth/schema/compose_spec.h"
#include "berth/util/strings.h"

namespace berth::loader {

using nlohmann::json;

namespace {

// Service attributes of older compose formats that the compose schema no
// longer has: compose refuses them as unknown, berth also names what
// replaced them.
std::string with_replacement_hint(const schema::ValidationError& e) {
  static const std::map<std::string, std::string> replaced = {
      {"log_driver", "logging.driver"},
      {"log_opt", "logging.options"},
      {"dockerfile", "build.dockerfile"},
      {"net", "network_mode"},
  };
  if (e.keyword != "additionalProperties" || e.path.size() != 3 || e.path[0] != "services") return e.message;
  auto it = replaced.find(e.path[2]);
  if (it == replaced.end()) return e.message;
  return e.message + " (" + it->first + " is from an older compose file format: use " + it->second + ")";
}

// The schema error reported is the first one in the files (in -f order,
// then line and column), not the first in the JSON's alphabetical key order.
void validate_against_schema(const json& doc, const PositionMap& positions,
                             const std::vector<ConfigFile>& files) {
  auto errors = schema::compose_spec().validate(doc);
  if (errors.empty()) return;
  auto file_rank = [&](const std::string& file) {
    for (std::size_t i = 0; i < files.size(); ++i)
      if (files[i].path == file || files[i].display_name() == file) return i;
    return files.size();  // an extended or included file
  };
  std::optional<SourceMark> first_mark;
  const schema::ValidationError* first = nullptr;
  for (const auto& e : errors) {
    SourceMark mark = e.keyword == "additionalProperties" ? positions.key_lookup(e.pointer())
                                                          : positions.lookup(e.pointer());
    auto before = [&](const SourceMark& a, const SourceMark& b) {
      return std::tuple(file_rank(a.file), a.file, a.line, a.column) <
             std::tuple(file_rank(b.file), b.file, b.line, b.column);
    };
    if (!first_mark || before(mark, *first_mark)) {
      first_mark = std::move(mark);
      first = &e;
    }
  }
  throw config_error(*first_mark, with_replacement_hint(*first));
}

// As model::Service::image_name names them, from the merged document.
std::vector<std::string> image_names(const json& doc) {
  std::vector<std::string> images;
  auto services = doc.find("services");
  if (services == doc.end() || !services->is_object()) return images;
  const std::string project = doc.value("name", "");
  for (const auto& [name, service] : services->items()) {
    if (!service.is_object()) continue;
    auto image = service.find("image");
    if (image != service.end() && image->is_string()) images.push_back(image->get<std::string>());
    else if (image == service.end()) images.push_back(project + "-" + name);
  }
  return images;
}

// The last non-empty top-level `name:` of the files, interpolated (a name
// that is not a plain scalar is left to the schema check to report).
std::optional<std::string> name_in_files(const std::vector<std::vector<Node>>& documents_of, const Environment& env,
                                         bool interpolate) {
  std::optional<std::string> found;
  for (const auto& documents : documents_of)
    for (const auto& document : documents) {
      const Node* name = document.find("name");
      if (!name || !name->is_scalar() || name->tag() != Node::Tag::None) continue;
      std::string text = name->text();
      if (interpolate) {
        const VariableLookup lookup = [&env](const std::string& key) -> std::optional<std::string> {
          auto it = env.find(key);
          if (it == env.end()) return std::nullopt;
          return it->second;
        };
        text = interpolate_string(text, lookup, "name", name->mark()).text;
      }
      if (!trim(text).empty()) found = text;
    }
  return found;
}

}  // namespace

model::Project load(const ProjectOptions& options, Diagnostics& diagnostics,
                    const LoadOptions& load_options) {
  // Compiling the compose schema costs about as much as reading a large
  // project: it runs on another core meanwhile (compose_spec() is a
  // thread-safe static; the validation below waits for it if need be).
  std::future<void> schema_compiled;
  if (load_options.interpolate) {
    try {
      schema_compiled = std::async(std::launch::async, [] { schema::compose_spec(); });
    } catch (const std::system_error&) {
      // No thread to spare: it is compiled when first used.
    }
  }
  Environment process_env = process_environment();
  ResolvedProject resolved = resolve_project(options, process_env, diagnostics);
  if (options.environment && !options.environment->empty())
    apply_environment(resolved, *options.environment, process_env);

  // Reading (scanning YAML) is the costly step and each file's is
  // independent: the files after the first are read on other threads while
  // the first is read here. Errors still surface in -f order.
  std::vector<std::future<std::vector<Node>>> reads(resolved.files.size());
  for (std::size_t i = 1; i < resolved.files.size(); ++i) {
    try {
      reads[i] = std::async(std::launch::async, [&file = resolved.files[i]] { return read_documents(file); });
    } catch (const std::system_error&) {
      // No thread to spare: read in turn below.
    }
  }
  std::vector<std::vector<Node>> documents_of(resolved.files.size());
  for (std::size_t i = 0; i < resolved.files.size(); ++i)
    documents_of[i] = reads[i].valid() ? reads[i].get() : read_documents(resolved.files[i]);

  // As compose-go does, the project name is known before interpolation and
  // is COMPOSE_PROJECT_NAME for it (`container_name: ${COMPOSE_PROJECT_NAME}-web`).
  const std::string project_name =
      choose_project_name(resolved, name_in_files(documents_of, resolved.env, load_options.interpolate));
  resolved.env["COMPOSE_PROJECT_NAME"] = project_name;

  // compose-go's order: each document of each file is interpolated, gets
  // its includes and then its extends (so a service extends one of its own
  // document, or of the file `extends.file` names, never one of another
  // document or -f file), and only then is merged onto those before it.
  const DocumentReader read_other_file =
      make_document_reader(resolved.env, diagnostics, load_options.interpolate);
  std::vector<Node> layers;
  for (std::size_t i = 0; i < resolved.files.size(); ++i) {
    const ConfigFile& file = resolved.files[i];
    const std::string path = file.content ? resolved.project_dir + "/" + file.display_name() : file.path;
    for (auto& document : documents_of[i]) {
      apply_merge_keys(document);
      if (load_options.interpolate) interpolate(document, resolved.env, diagnostics);
      IncludeContext include_context{process_env, &diagnostics, load_options.interpolate, {path}};
      resolve_includes(document, path, resolved.project_dir, include_context);
      resolve_extends(document, path, read_other_file);
      layers.push_back(std::move(document));
    }
  }
  Node merged = merge_all(std::move(layers));
  // A lone file's `!reset` / `!override` (nothing to merge onto) are dropped.
  strip_merge_tags(merged);

  if (const Node* version = merged.find("version")) {
    diagnostics.warn("the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion",
                     version->mark());
    merged.erase("version");
  }

  json doc;
  auto positions = std::make_shared<PositionMap>(to_json(std::make_shared<const Node>(std::move(merged)), doc));
  if (load_options.interpolate) validate_against_schema(doc, *positions, resolved.files);
  const MarkLookup mark_of = [positions](const std::string& pointer) { return positions->lookup(pointer); };
  relocate_external_names(doc, diagnostics, mark_of);

  doc["name"] = project_name;
  if (load_options.images_known) load_options.images_known(image_names(doc));

  JsonStageInput input;
  input.project_dir = resolved.project_dir;
  for (const auto& file : resolved.files) input.config_files.push_back(file.content ? "-" : file.path);
  input.environment = resolved.env;
  input.profiles = resolved.profiles;
  input.mark = mark_of;
  input.all_resources = options.all_resources;
  return load_json(std::move(doc), input, load_options);
}

model::Project load_json(nlohmann::json doc, const JsonStageInput& input, const LoadOptions& load_options) {
  if (!doc.is_object()) throw Error(ErrorKind::Config, "the project must be a mapping");
  std::string name = doc.value("name", "");
  MarkLookup mark = input.mark;
  CanonicalContext canonical;
  canonical.project_dir = input.project_dir;
  canonical.environment = input.environment;
  canonical.mark = input.mark;
  canonical.resolve_paths = load_options.resolve_paths;
  canonical.keep_unparsed = !load_options.interpolate;
  canonical.resolve_environment = load_options.resolve_environment;
  canonical.environment_of = load_options.environment_of;
  auto aliases = std::make_shared<PointerAliases>();
  canonicalize(doc, canonical, aliases.get());
  mark = with_aliases(input.mark, aliases);
  if (load_options.normalize) normalize(doc, NormalizeContext{name});
  for (const auto& service : load_options.services)
    if (!doc.contains("services") || !doc["services"].contains(service))
      throw Error(ErrorKind::Usage, "no such service: " + service);

  json disabled = apply_profiles(doc, ProfileSelection{input.profiles, load_options.services}, mark);
  if (load_options.consistency) check_consistency(doc, disabled, mark);
  if (!input.all_resources) model::drop_unused_resources(doc);

  model::Project project = model::Project::from_json(std::move(doc), std::move(disabled));
  project.working_dir = input.project_dir;
  project.config_files = input.config_files;
  project.environment = input.environment;
  project.profiles = input.profiles;
  project.source_mark = mark;
  return project;
}

}  // namespace berth::loader
