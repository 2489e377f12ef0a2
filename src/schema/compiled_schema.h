#pragma once
// The compiled form of a schema: one SchemaNode per (sub)schema, $refs
// resolved to pointers, patterns precompiled. Owned by CompiledSchema and
// immutable after compile().
#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pattern_matcher.h"

namespace berth::schema::detail {

// JSON-Schema types as bits; "integer" is separate from "number" because a
// schema may accept one and not the other.
enum TypeBits : std::uint8_t {
  kNull = 1 << 0,
  kBoolean = 1 << 1,
  kObject = 1 << 2,
  kArray = 1 << 3,
  kNumber = 1 << 4,
  kString = 1 << 5,
  kInteger = 1 << 6,
};

struct SchemaNode {
  std::string location;  // JSON pointer inside the schema, for diagnostics

  bool always_false = false;            // the boolean schema `false`
  std::uint8_t types = 0;               // 0: any type
  std::vector<std::string> type_names;  // as written, for messages

  const SchemaNode* ref = nullptr;

  // Objects.
  std::vector<std::pair<std::string, const SchemaNode*>> properties;  // sorted by name
  std::vector<std::pair<PatternMatcher, const SchemaNode*>> pattern_properties;
  const SchemaNode* additional_properties = nullptr;  // null: anything goes
  std::vector<std::string> required;
  std::optional<std::size_t> min_properties, max_properties;

  // Arrays.
  const SchemaNode* items = nullptr;
  bool unique_items = false;
  std::optional<std::size_t> min_items, max_items;

  // Strings (lengths in code points).
  std::optional<std::size_t> min_length, max_length;
  std::optional<PatternMatcher> pattern;

  // Numbers.
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum;

  // Any type.
  std::optional<std::vector<nlohmann::json>> enum_values;
  std::optional<nlohmann::json> const_value;
  std::vector<const SchemaNode*> all_of, any_of, one_of;
  const SchemaNode* not_schema = nullptr;

  const SchemaNode* find_property(std::string_view name) const;
};

struct CompiledSchema {
  std::string name;
  std::deque<SchemaNode> nodes;  // deque: node addresses stay stable
  const SchemaNode* root = nullptr;
};

// The value's type as a bit; integers (and floats with no fraction) also
// carry kNumber, so they satisfy "number" too.
std::uint8_t type_bits_of(const nlohmann::json& value);

}  // namespace berth::schema::detail
