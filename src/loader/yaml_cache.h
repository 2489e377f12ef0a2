#pragma once
// A per-user cache of parsed compose files, so that the commands people run
// all day on the same project (`up`, `logs`, `ps`, `down`) do not scan the
// same large YAML again: yaml-cpp's scanner is most of the cost of loading a
// big project.
//
// An entry holds the file's exact text and the trees read_yaml_documents
// made from it. It is used only when the text is byte-for-byte the same,
// the reading limits are the same and the entry was written by this very
// berth binary (its inode, size and mtime), so a hit gives exactly what
// parsing would. Only files that parsed without error and are at least
// `kMinCachedBytes` long are stored: small files parse in well under a
// millisecond, and errors are always reported by the parser itself.
//
// Where: $BERTH_CACHE_DIR, else $XDG_CACHE_HOME/berth, else ~/.cache/berth
// (sub-directory `yaml/`, mode 0700, entries 0600, written atomically,
// the oldest removed past a few hundred entries). BERTH_NO_CACHE=1 turns it
// off. Any problem with the cache (unwritable, foreign owner, damaged
// entry) just means parsing as if there were none.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node.h"
#include "yaml_reader.h"

namespace berth::loader {

inline constexpr std::size_t kMinCachedBytes = 8 * 1024;

// The documents cached for `content`, with every mark naming `file_name`.
std::optional<std::vector<Node>> cached_yaml_documents(std::string_view content, const std::string& file_name,
                                                       const ReadLimits& limits);

// Stores what read_yaml_documents returned for `content`.
void cache_yaml_documents(std::string_view content, const std::vector<Node>& documents,
                          const ReadLimits& limits);

// Serialization used by the cache (exposed for tests): decode(encode(x))
// gives back x with marks naming `file_name`; damaged input gives nullopt.
std::string encode_yaml_documents(const std::vector<Node>& documents);
std::optional<std::vector<Node>> decode_yaml_documents(std::string_view bytes, const std::string& file_name);

}  // namespace berth::loader
