#include "merge_keys.h"

#include <unordered_set>

#include "berth/loader/diagnostics.h"

namespace berth::loader {
namespace {

constexpr const char* kMergeKey = "<<";

void merge_into(Node& mapping) {
  auto& entries = mapping.entries();
  std::size_t at = entries.size();
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (entries[i].key == kMergeKey) at = i;
  if (at == entries.size()) return;

  Node merged = std::move(entries[at].value);
  const SourceMark merge_mark = merged.mark().known() ? merged.mark() : entries[at].key_mark;
  std::vector<const Node*> sources;
  if (merged.is_mapping()) {
    sources.push_back(&merged);
  } else if (merged.is_sequence()) {
    for (const auto& item : merged.items()) {
      if (!item.is_mapping())
        throw config_error(item.mark().known() ? item.mark() : merge_mark,
                           "merge key \"<<\" expects a mapping or a list of mappings");
      sources.push_back(&item);
    }
  } else {
    throw config_error(merge_mark, "merge key \"<<\" expects a mapping or a list of mappings");
  }

  std::unordered_set<std::string> taken;
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (i != at) taken.insert(entries[i].key);

  std::vector<Node::Entry> result;
  result.reserve(entries.size());
  for (std::size_t i = 0; i < at; ++i) result.push_back(std::move(entries[i]));
  // Earlier sources win over later ones; explicit keys win over all of them.
  for (const Node* source : sources)
    for (const auto& e : source->entries())
      if (taken.insert(e.key).second) result.push_back(e);
  for (std::size_t i = at + 1; i < entries.size(); ++i) result.push_back(std::move(entries[i]));
  entries = std::move(result);
}

}  // namespace

void apply_merge_keys(Node& root) {
  if (root.is_sequence()) {
    for (auto& item : root.items()) apply_merge_keys(item);
  } else if (root.is_mapping()) {
    // Children first, so a merged mapping has its own merges resolved.
    for (auto& e : root.entries()) apply_merge_keys(e.value);
    merge_into(root);
  }
}

}  // namespace berth::loader
