#include "include.h"

#include <filesystem>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "extends.h"
#include "merge.h"
#include "canonical_paths.h"

namespace berth::loader {
namespace {

// Hostile input must neither exhaust the stack through recursion nor load
// files exponentially often through diamonds of includes.
constexpr size_t kMaxIncludeDepth = 64;
constexpr size_t kMaxIncludedFiles = 1000;

struct IncludeState {
  size_t files_loaded = 0;
};

void resolve_includes_in(Node& document, const std::string& file, const std::string& project_directory,
                         const IncludeContext& context, IncludeState& state);

// One entry of `include:`, with every path made absolute.
struct IncludeEntry {
  SourceMark mark;
  std::vector<std::string> paths;
  std::string project_directory;
  std::vector<std::string> env_files;
  bool explicit_env_files = false;
};

std::string absolute_against(const std::string& path, const std::string& base) {
  if (!path.empty() && path.front() == '/') return clean_path(path);
  return clean_path(base + "/" + path);
}

std::vector<std::string> string_or_list(const Node& n, const char* what) {
  std::vector<std::string> out;
  if (n.is_scalar() && !n.text().empty()) {
    out.push_back(n.text());
    return out;
  }
  if (n.is_sequence()) {
    for (const auto& item : n.items()) {
      if (!item.is_scalar() || item.text().empty())
        throw config_error(item.mark(), std::string("include ") + what + " must be a list of paths");
      out.push_back(item.text());
    }
    if (!out.empty()) return out;
  }
  throw config_error(n.mark(), std::string("include ") + what + " must be a path or a list of paths");
}

IncludeEntry parse_entry(const Node& item, const std::string& base_dir) {
  IncludeEntry entry;
  entry.mark = item.mark();
  if (item.is_scalar()) {
    entry.paths = string_or_list(item, "path");
  } else if (item.is_mapping()) {
    for (const auto& e : item.entries()) {
      if (e.key == "path") {
        entry.paths = string_or_list(e.value, "path");
      } else if (e.key == "project_directory") {
        if (!e.value.is_scalar() || e.value.text().empty())
          throw config_error(e.value.mark(), "include project_directory must be a path");
        entry.project_directory = absolute_against(e.value.text(), base_dir);
      } else if (e.key == "env_file") {
        entry.env_files = string_or_list(e.value, "env_file");
        entry.explicit_env_files = true;
      } else {
        throw config_error(e.key_mark, "include: unknown attribute \"" + e.key +
                                           "\" (expected path, project_directory, env_file)");
      }
    }
    if (entry.paths.empty()) throw config_error(item.mark(), "include requires \"path\"");
  } else {
    throw config_error(item.mark(), "include entries must be a path or a mapping with \"path\"");
  }
  for (auto& p : entry.paths) p = absolute_against(p, base_dir);
  if (entry.project_directory.empty())
    entry.project_directory = std::filesystem::path(entry.paths.front()).parent_path().string();
  if (entry.explicit_env_files) {
    std::vector<std::string> files;
    for (const auto& f : entry.env_files)
      if (f != "/dev/null") files.push_back(absolute_against(f, base_dir));
    entry.env_files = std::move(files);
  } else {
    std::error_code ec;
    std::string dot_env = entry.project_directory + "/.env";
    if (std::filesystem::is_regular_file(dot_env, ec)) entry.env_files.push_back(dot_env);
  }
  return entry;
}

std::string describe_chain(const std::vector<std::string>& chain, const std::string& again) {
  std::string text;
  for (const auto& f : chain) text += f + " -> ";
  return text + again;
}

// The included project's environment: the including one wins over its env files.
Environment included_environment(const IncludeEntry& entry, const IncludeContext& context) {
  Environment env = context.environment;
  Environment from_files;
  try {
    from_files = read_env_files(entry.env_files, context.environment, /*required=*/true);
  } catch (const Error& e) {
    throw config_error(entry.mark, "include: " + e.message());
  }
  for (auto& [key, value] : from_files) env.emplace(key, std::move(value));
  return env;
}

// Loads one include entry as a project of its own: a single document whose
// relative paths are absolute.
Node load_included(const IncludeEntry& entry, const IncludeContext& context, IncludeState& state) {
  IncludeContext inner = context;
  inner.environment = included_environment(entry, context);

  Diagnostics discarded;
  Diagnostics& diagnostics = context.diagnostics ? *context.diagnostics : discarded;
  DocumentReader read = make_document_reader(inner.environment, diagnostics, context.interpolate);

  std::vector<Node> documents;
  for (const auto& path : entry.paths) {
    if (++state.files_loaded > kMaxIncludedFiles)
      throw config_error(entry.mark, "more than " + std::to_string(kMaxIncludedFiles) +
                                         " included files in total");
    Node doc;
    try {
      doc = read(path);
    } catch (const Error& e) {
      throw config_error(entry.mark, "cannot read included file: " + e.message());
    }
    resolve_extends(doc, path, read);
    inner.chain = context.chain;
    inner.chain.push_back(path);
    resolve_includes_in(doc, path, entry.project_directory, inner, state);
    documents.push_back(std::move(doc));
  }
  Node project = merge_all(documents);
  strip_merge_tags(project);  // a complete project: nothing is merged onto it
  absolutize_document_paths(project, entry.project_directory);
  return project;
}

// Adds the included project's resources; docker compose refuses a name that
// is already defined differently.
void import_resources(Node& document, const Node& included, const IncludeEntry& entry) {
  for (const char* kind : {"services", "networks", "volumes", "secrets", "configs", "models"}) {
    const Node* from = included.find(kind);
    if (!from || !from->is_mapping() || from->entries().empty()) continue;
    Node* to = document.find(kind);
    if (!to || to->is_null()) {
      to = &document.set(kind, Node::mapping(from->mark()));
    } else if (!to->is_mapping()) {
      throw config_error(to->mark(), std::string(kind) + " must be a mapping");
    }
    // Indexes, not pointers: appending may move the entries.
    std::unordered_map<std::string, size_t> index_of;
    for (size_t i = 0; i < to->entries().size(); ++i) index_of.emplace(to->entries()[i].key, i);
    for (const auto& resource : from->entries()) {
      auto [it, added] = index_of.emplace(resource.key, to->entries().size());
      if (added) {
        to->entries().push_back(resource);
        continue;
      }
      const Node::Entry& existing = to->entries()[it->second];
      if (same_content(existing.value, resource.value)) continue;
      throw config_error(entry.mark, std::string(kind) + "." + resource.key + " included from " +
                                         resource.key_mark.to_string() + " conflicts with " + kind +
                                         "." + resource.key + " defined at " +
                                         existing.key_mark.to_string());
    }
  }
}

void resolve_includes_in(Node& document, const std::string& file, const std::string& project_directory,
                         const IncludeContext& context, IncludeState& state) {
  const Node* include = document.find("include");
  if (!include) return;
  if (include->is_null()) {
    document.erase("include");
    return;
  }
  if (!include->is_sequence()) throw config_error(include->mark(), "include must be a list");

  IncludeContext own = context;
  if (own.chain.empty() || own.chain.back() != file) own.chain.push_back(file);

  // Entries are read from a copy: importing adds keys to `document`.
  const Node entries = *include;
  document.erase("include");
  for (const auto& item : entries.items()) {
    IncludeEntry entry = parse_entry(item, project_directory);
    if (own.chain.size() > kMaxIncludeDepth)
      throw config_error(entry.mark, "include nesting deeper than " + std::to_string(kMaxIncludeDepth) +
                                         " files");
    for (const auto& path : entry.paths) {
      for (const auto& seen : own.chain) {
        if (seen == path)
          throw config_error(entry.mark, "include cycle: " + describe_chain(own.chain, path));
      }
    }
    Node included = load_included(entry, own, state);
    import_resources(document, included, entry);
  }
}

}  // namespace

void resolve_includes(Node& document, const std::string& file, const std::string& project_directory,
                      const IncludeContext& context) {
  IncludeState state;
  resolve_includes_in(document, file, project_directory, context, state);
}

}  // namespace berth::loader
