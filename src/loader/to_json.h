#pragma once
// Node tree → nlohmann::json for schema validation and the model, plus a
// PositionMap from JSON pointer to source mark so that errors found on the
// JSON (schema, consistency checks) can still say file:line:col.
//
// Typing of scalars:
//  - plain, not interpolated: YAML 1.2 core schema: null/Null/NULL/~/empty →
//    null; true/True/TRUE/false/... → bool; [-+]digits, 0o.., 0x.. → integer
//    (a leading 0 means octal, as yaml.v3 and so docker compose read it:
//    `mode: 0440` is 288); decimals/exponents, [-+].inf, .nan → number;
//    anything else a string;
//  - quoted/block, or produced by interpolation: string, except at the paths
//    the compose schema types as boolean/integer/number (a cast table like
//    compose-go's: services.*.privileged, services.*.ports.*.target,
//    deploy.replicas, networks.*.external, ...), where a value that parses as
//    that type is converted (left a string otherwise, for the schema to
//    reject with its position). Booleans there also accept yes/no/on/off/y/n
//    in any case, like compose-go's casts.
// Keys are always strings.
#include <cstddef>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "node.h"

namespace berth::loader {

class PositionMap {
 public:
  PositionMap() = default;
  // Answers lookups by walking `tree`, the tree the JSON was converted from,
  // instead of from an index of every node built up front: a big project
  // has tens of thousands of nodes, and lookups (errors, warnings) are rare.
  explicit PositionMap(std::shared_ptr<const Node> tree) : tree_(std::move(tree)) {}

  // `pointer` is an RFC 6901 JSON pointer ("" = root, "/services/web").
  void add(std::string pointer, const SourceMark& value_mark, const SourceMark& key_mark = {});

  // The mark of the value at `pointer`, or of its nearest ancestor that has
  // one; an empty mark when none does.
  SourceMark lookup(std::string_view pointer) const;
  // The mark of the key naming `pointer` (e.g. to point at an unexpected
  // property), falling back to lookup().
  SourceMark key_lookup(std::string_view pointer) const;

  std::size_t size() const { return marks_.size(); }
  void reserve(std::size_t nodes);

 private:
  // Marks are stored compactly (file names interned): a big project has
  // tens of thousands of nodes, and every one of them is recorded.
  struct Compact {
    int file = -1;  // index into files_, -1 = none
    int line = 0;
    int column = 0;
  };
  struct Entry {
    Compact value;
    Compact key;
  };
  Compact compact(const SourceMark& mark);
  SourceMark expand(const Compact& mark) const;

  // The tree-backed lookup: the deepest node on `pointer`'s path (and the
  // key naming it when `key` and the whole path exists).
  SourceMark tree_lookup(std::string_view pointer, bool key) const;

  std::unordered_map<std::string, Entry> marks_;
  std::vector<std::string> files_;
  std::shared_ptr<const Node> tree_;
};

// Converts `root`, filling `out` and returning the positions of every node.
PositionMap to_json(const Node& root, nlohmann::json& out);

// The same conversion; the positions are looked up in `root` itself, which
// the returned map keeps alive (cheaper when few lookups follow).
PositionMap to_json(std::shared_ptr<const Node> root, nlohmann::json& out);

// Reverse conversion: strings become quoted scalars, numbers/bools/null
// plain scalars, so to_json(from_json(j)) == j. Every node gets `mark`.
Node from_json(const nlohmann::json& value, const SourceMark& mark = {});

// The scalar typing rule alone, for a plain scalar's text.
void plain_scalar_to_json(const std::string& text, nlohmann::json& out);

// "/services/web/ports/0" → "services.web.ports.0" (unescaping ~0 ~1),
// the form compose uses in messages; "" → "".
std::string json_pointer_to_dotted(std::string_view pointer);


}  // namespace berth::loader
