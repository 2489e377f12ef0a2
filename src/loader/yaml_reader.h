#pragma once
// Reads compose YAML into loader::Node trees, keeping a 1-based line:col
// mark on every node and key, the scalar style (plain or quoted/block) and
// compose's `!reset` / `!override` tags.
//
// Built on yaml-cpp's event API rather than YAML::Load, which hides scalar
// style and silently keeps one of two duplicate keys. The tree is built with
// an explicit stack, so hostile input is bounded (ReadLimits) instead of
// overflowing the stack or memory. Aliases are expanded into copies.
//
// Errors (berth::Error, ErrorKind::Config, "file:line:col: ..."): malformed
// YAML, tab characters in indentation, duplicate keys (naming both lines),
// empty file, NUL bytes / invalid UTF-8, non-mapping top level, too large
// file, too many nodes after alias expansion, too deep nesting, undefined
// or recursive aliases, quoted scalars left open at the end of the file,
// unsupported tags (only !reset and !override are known).
//
// Merge keys (`<<`) are NOT applied here; see merge_keys.h.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "berth/loader/project_files.h"
#include "node.h"

namespace berth::loader {

struct ReadLimits {
  std::size_t max_bytes = 16u * 1024 * 1024;  // per file
  std::size_t max_nodes = 1'000'000;          // after alias expansion
  std::size_t max_depth = 200;                // nesting of mappings/sequences
};

// All documents of a YAML stream, in order. compose-go merges the documents
// of one file in order like override files; the caller does the same (the
// first document is the base, later ones override it). Each document's top
// level must be a mapping. An empty stream (nothing but comments/blank
// lines) is an "empty compose file" error; empty documents in a
// multi-document stream are skipped.
std::vector<Node> read_yaml_documents(std::string_view content, const std::string& file_name,
                                      const ReadLimits& limits = {});

// Reads the file at `path` (marks name it as given) and parses it as above.
// A missing/unreadable file is an ErrorKind::Config error naming the path.
std::vector<Node> read_yaml_file(const std::string& path, const ReadLimits& limits = {});

// The documents of a compose file given by path or by its content (stdin).
std::vector<Node> read_documents(const ConfigFile& file);

// Convenience for single-document input: the documents above, and when there
// are several, an error naming the position of the second document.
Node read_yaml(std::string_view content, const std::string& file_name,
               const ReadLimits& limits = {});

// Reads a whole file into memory, refusing files larger than max_bytes.
// The position (1-based line and column) of byte `offset` of `content`.
SourceMark mark_of_offset(std::string_view content, std::size_t offset, const std::string& file);

// Binary data gives a parser nothing sensible to say: refuses NUL bytes,
// control characters other than tab/CR/LF and invalid UTF-8 with the
// position of the first offending byte ("invalid UTF-8 in env file ...").
void check_text(std::string_view content, const std::string& file, std::string_view kind = "compose file");

std::string read_text_file(const std::string& path, std::size_t max_bytes = 16u * 1024 * 1024);

}  // namespace berth::loader
