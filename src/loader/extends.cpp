#include "extends.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "interpolation.h"
#include "merge.h"
#include "merge_keys.h"
#include "yaml_reader.h"
#include "canonical_paths.h"

namespace berth::loader {
namespace {

std::string directory_of(const std::string& file) {
  return std::filesystem::path(file).parent_path().string();
}

// A relative local path made absolute against base_dir; absolute paths, `~`
// paths and empty strings are left as they are.
void absolutize(Node& n, const std::string& base_dir) {
  if (!n.is_scalar()) return;
  const std::string& p = n.text();
  if (p.empty() || p.front() == '/' || p.front() == '~') return;
  n.set_text(clean_path(base_dir + "/" + p));
}

void absolutize_context(Node& n, const std::string& base_dir) {
  if (n.is_scalar() && !is_remote_context(n.text())) absolutize(n, base_dir);
}

// env_file / label_file: a string, a list of strings, or a list of {path: ...}.
void absolutize_file_list(Node& n, const std::string& base_dir) {
  if (n.is_scalar()) return absolutize(n, base_dir);
  if (!n.is_sequence()) return;
  for (auto& item : n.items()) {
    if (item.is_scalar()) absolutize(item, base_dir);
    else if (Node* path = item.is_mapping() ? item.find("path") : nullptr) absolutize(*path, base_dir);
  }
}

// A short volume's source is a host path when it starts with `.`, `/` or `~`;
// anything else names a volume.
void absolutize_short_volume(Node& n, const std::string& base_dir) {
  const std::string& text = n.text();
  if (text.empty() || text.front() != '.') return;
  auto colon = text.find(':');
  if (colon == std::string::npos) return;  // a lone container path
  std::string source = text.substr(0, colon);
  n.set_text(clean_path(base_dir + "/" + source) + text.substr(colon));
}

void absolutize_volumes(Node& volumes, const std::string& base_dir) {
  if (!volumes.is_sequence()) return;
  for (auto& v : volumes.items()) {
    if (v.is_scalar()) {
      absolutize_short_volume(v, base_dir);
    } else if (v.is_mapping()) {
      const Node* type = v.find("type");
      Node* source = v.find("source");
      if (source && type && type->is_scalar() && type->text() == "bind") absolutize(*source, base_dir);
    }
  }
}

void absolutize_build(Node& build, const std::string& base_dir) {
  if (build.is_scalar()) return absolutize_context(build, base_dir);
  if (!build.is_mapping()) return;
  // Without a context the service gets the default one, `.` of the project
  // (compose-go loads the other file without default values, so the
  // context is filled in on the merged service).
  if (Node* context = build.find("context")) absolutize_context(*context, base_dir);
  Node* extra = build.find("additional_contexts");
  if (!extra) return;
  if (extra->is_mapping()) {
    for (auto& e : extra->entries()) absolutize_context(e.value, base_dir);
  } else if (extra->is_sequence()) {
    for (auto& item : extra->items()) {
      if (!item.is_scalar()) continue;
      auto eq = item.text().find('=');
      if (eq == std::string::npos) continue;
      Node value = Node::scalar(item.text().substr(eq + 1));
      absolutize_context(value, base_dir);
      item.set_text(item.text().substr(0, eq + 1) + value.text());
    }
  }
}

// The extending service's own `!reset` / `!override` attributes, put back on
// the merged result: merging this file onto the files before it must apply
// them there too (compose-go's reset processor removes those paths from the
// earlier files' model as well as from the extended service).
void carry_merge_tags(const Node& own, Node& merged) {
  if (!own.is_mapping() || !merged.is_mapping()) return;
  for (const auto& e : own.entries()) {
    if (e.value.tag() == Node::Tag::Reset) {
      Node reset = Node::null(e.value.mark());
      reset.set_tag(Node::Tag::Reset);
      merged.set(e.key, std::move(reset), e.key_mark);
      continue;
    }
    Node* value = merged.find(e.key);
    if (!value) continue;
    if (e.value.tag() == Node::Tag::Override) value->set_tag(Node::Tag::Override);
    else carry_merge_tags(e.value, *value);
  }
}

// Resolves the extends of one document's services, reading other files
// through `read` (each at most once).
class ExtendsResolver {
 public:
  // Hostile input must not exhaust the stack through recursion; counted on
  // whole chains so the limit does not depend on the order of services.
  static constexpr size_t kMaxChain = 256;

  explicit ExtendsResolver(const DocumentReader& read) : read_(read) {}

  void resolve_document(Node& document, const std::string& file) {
    Node* services = document.find("services");
    if (!services || !services->is_mapping()) return;
    auto extends_something = [](const Node::Entry& e) {
      return e.value.is_mapping() && e.value.find("extends") != nullptr;
    };
    auto& entries = services->entries();
    if (std::none_of(entries.begin(), entries.end(), extends_something)) return;
    // Every service is resolved against the document as written (no copy of
    // it is taken), then the results replace the extending services.
    own_file_ = file;
    own_document_ = &document;
    for (const auto& entry : entries)
      if (extends_something(entry)) resolve(file, entry.key, entry.key_mark);
    for (auto& entry : entries)
      if (extends_something(entry)) entry.value = std::move(resolved_.at(file + '\n' + entry.key).service);
  }

 private:
  struct Reference {
    std::string file;
    std::string service;
  };

  struct Resolved {
    Node service;
    size_t chain = 0;  // how many extends lead to it
  };

  // The services of a file by name (Node::find is a linear scan).
  using ServiceIndex = std::unordered_map<std::string, const Node*>;

  const ServiceIndex& services_of(const std::string& file, const SourceMark& referenced_at) {
    if (auto it = indexes_.find(file); it != indexes_.end()) return it->second;
    const Node* document = file == own_file_ ? own_document_ : nullptr;
    if (!document) {
      Node read;
      try {
        read = read_(file);
      } catch (const Error& e) {
        throw config_error(referenced_at, "cannot read extends file: " + e.message());
      }
      document = &documents_.emplace(file, std::move(read)).first->second;
    }
    ServiceIndex index;
    if (const Node* services = document->find("services"); services && services->is_mapping()) {
      for (const auto& e : services->entries()) index.emplace(e.key, &e.value);
    }
    return indexes_.emplace(file, std::move(index)).first->second;
  }

  // "a -> b -> a", from the first time `again` was entered; services of
  // other files than the first are qualified with their file.
  std::string describe_cycle(const Reference& again) const {
    size_t start = 0;
    while (start < stack_.size() &&
           !(stack_[start].file == again.file && stack_[start].service == again.service))
      ++start;
    const std::string& first_file = stack_.front().file;
    auto name = [&](const Reference& r) {
      return r.file == first_file ? r.service : r.service + " (" + r.file + ")";
    };
    std::string text;
    for (size_t i = start; i < stack_.size(); ++i) text += name(stack_[i]) + " -> ";
    return text + name(again);
  }

  // The service `name` of `file`, with its extends chain merged in. Paths
  // stay relative to `file`'s directory.
  const Resolved& resolve(const std::string& file, const std::string& name, const SourceMark& referenced_at) {
    const std::string key = file + '\n' + name;
    if (auto done = resolved_.find(key); done != resolved_.end()) return done->second;

    for (const auto& r : stack_) {
      if (r.file == file && r.service == name)
        throw config_error(referenced_at, "circular extends: " + describe_cycle({file, name}));
    }
    const ServiceIndex& services = services_of(file, referenced_at);
    auto found = services.find(name);
    const Node* service = found == services.end() ? nullptr : found->second;
    if (!service) {
      throw config_error(referenced_at, "cannot extend service \"" + name + "\": no such service in " +
                                            file);
    }
    const Node* extends = service->is_mapping() ? service->find("extends") : nullptr;
    if (!extends) return resolved_.emplace(key, Resolved{*service, 0}).first->second;

    Reference base = parse_extends(*extends, file);
    if (stack_.size() >= kMaxChain) throw chain_too_long(*extends);
    stack_.push_back({file, name});
    const Resolved& resolved_base = resolve(base.file, base.service, extends->mark());
    stack_.pop_back();
    const size_t chain = resolved_base.chain + 1;
    if (chain > kMaxChain) throw chain_too_long(*extends);
    Node base_service = resolved_base.service;
    if (base.file != file) absolutize_service_paths(base_service, directory_of(base.file));
    if (!base_service.is_mapping())
      throw config_error(extends->mark(), "cannot extend service \"" + base.service +
                                              "\": its definition is not a mapping");

    Node own = *service;
    own.erase("extends");
    Node merged = merge_services(base_service, own);
    merged.set_mark(service->mark());
    carry_merge_tags(own, merged);
    return resolved_.emplace(key, Resolved{std::move(merged), chain}).first->second;
  }

  static Error chain_too_long(const Node& extends) {
    return config_error(extends.mark(),
                        "extends chain longer than " + std::to_string(kMaxChain) + " services");
  }

  Reference parse_extends(const Node& extends, const std::string& file) const {
    if (extends.is_scalar() && !extends.text().empty()) return {file, extends.text()};
    if (!extends.is_mapping())
      throw config_error(extends.mark(), "extends must be a service name or a mapping with \"service\"");
    const Node* service = extends.find("service");
    if (!service || !service->is_scalar() || service->text().empty())
      throw config_error(extends.mark(), "extends requires \"service\"");
    const Node* other = extends.find("file");
    if (!other) return {file, service->text()};
    if (!other->is_scalar() || other->text().empty())
      throw config_error(other->mark(), "extends.file must be a path");
    std::string path = other->text();
    if (path.front() != '/') path = clean_path(directory_of(file) + "/" + path);
    return {path, service->text()};
  }

  const DocumentReader& read_;
  std::string own_file_;                   // the file resolve_document works on
  const Node* own_document_ = nullptr;     // its document, read in place
  std::map<std::string, Node> documents_;  // other files; never modified once stored
  std::map<std::string, ServiceIndex> indexes_;
  std::map<std::string, Resolved> resolved_;
  std::vector<Reference> stack_;
};

}  // namespace

DocumentReader make_document_reader(Environment env, Diagnostics& diagnostics, bool interpolate) {
  return [env = std::move(env), &diagnostics, interpolate](const std::string& path) {
    std::vector<Node> documents = read_yaml_file(path);
    for (auto& doc : documents) {
      apply_merge_keys(doc);
      if (interpolate) loader::interpolate(doc, env, diagnostics);
    }
    if (documents.size() == 1) return std::move(documents.front());
    Node merged = std::move(documents.front());
    for (size_t i = 1; i < documents.size(); ++i) merged = merge_documents(merged, documents[i]);
    return merged;
  };
}

void resolve_extends(Node& document, const std::string& file, const DocumentReader& read) {
  ExtendsResolver resolver(read);
  resolver.resolve_document(document, file);
}

void absolutize_service_paths(Node& service, const std::string& base_dir) {
  if (!service.is_mapping()) return;
  if (Node* build = service.find("build")) absolutize_build(*build, base_dir);
  if (Node* env_file = service.find("env_file")) absolutize_file_list(*env_file, base_dir);
  if (Node* label_file = service.find("label_file")) absolutize_file_list(*label_file, base_dir);
  if (Node* volumes = service.find("volumes")) absolutize_volumes(*volumes, base_dir);
  if (Node* extends = service.find("extends"); extends && extends->is_mapping()) {
    if (Node* file = extends->find("file")) absolutize(*file, base_dir);
  }
  if (Node* develop = service.find("develop"); develop && develop->is_mapping()) {
    if (Node* watch = develop->find("watch"); watch && watch->is_sequence()) {
      for (auto& rule : watch->items())
        if (Node* path = rule.is_mapping() ? rule.find("path") : nullptr) absolutize(*path, base_dir);
    }
  }
}

void absolutize_document_paths(Node& document, const std::string& base_dir) {
  if (Node* services = document.find("services"); services && services->is_mapping()) {
    for (auto& e : services->entries()) absolutize_service_paths(e.value, base_dir);
  }
  for (const char* kind : {"secrets", "configs"}) {
    Node* resources = document.find(kind);
    if (!resources || !resources->is_mapping()) continue;
    for (auto& e : resources->entries()) {
      if (Node* file = e.value.is_mapping() ? e.value.find("file") : nullptr) absolutize(*file, base_dir);
    }
  }
}

}  // namespace berth::loader
