// Schema JSON -> SchemaNode graph. Every keyword is either compiled, ignored
// as an annotation, or rejected: a schema update that brings a keyword this
// validator does not know must fail here, not validate less than it claims.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <functional>
#include <regex>
#include <unordered_map>

#include "berth/schema/validator.h"
#include "berth/util/error.h"
#include "berth/util/strings.h"
#include "berth/util/whole_int64.h"
#include "compiled_schema.h"

namespace berth::schema::detail {
namespace {

using nlohmann::json;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "$defs/a%20b" -> "$defs/a b": a $ref is a URI fragment, so it may be percent-encoded.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool is_annotation(std::string_view keyword) {
  static const char* const kIgnored[] = {
      "$schema", "$id",      "$comment", "title",    "description", "deprecated",
      "default", "examples", "format",   "readOnly", "writeOnly",
  };
  return std::any_of(std::begin(kIgnored), std::end(kIgnored),
                     [&](const char* k) { return keyword == k; });
}

std::uint8_t type_bit(std::string_view name) {
  if (name == "null") return kNull;
  if (name == "boolean") return kBoolean;
  if (name == "object") return kObject;
  if (name == "array") return kArray;
  if (name == "number") return kNumber;
  if (name == "string") return kString;
  if (name == "integer") return kInteger;
  return 0;
}

class Compiler {
 public:
  Compiler(const json& document, CompiledSchema& out, bool lazy_regexes)
      : document_(document), out_(out), lazy_regexes_(lazy_regexes) {}

  void run() {
    out_.root = compile(document_, "");
    // Resolving a $ref may compile a subschema nobody compiled yet, which may
    // hold further $refs: loop until none is left.
    while (!pending_refs_.empty()) {
      auto [node, ref] = pending_refs_.back();
      pending_refs_.pop_back();
      node->ref = resolve(ref, node->location);
    }
    reject_cycles_in_place();
  }

 private:
  [[noreturn]] void fail(const std::string& location, const std::string& what) const {
    throw Error(ErrorKind::Internal, out_.name + ": #" + location + ": " + what);
  }

  SchemaNode* compile(const json& schema, const std::string& location) {
    auto& node = out_.nodes.emplace_back();
    node.location = location;
    by_location_[location] = &node;
    if (schema.is_boolean()) {
      node.always_false = !schema.get<bool>();
      return &node;
    }
    if (!schema.is_object()) fail(location, "a schema must be an object or a boolean");
    for (const auto& [keyword, value] : schema.items()) {
      compile_keyword(node, keyword, value, location + "/" + escape_json_pointer_token(keyword));
    }
    std::sort(node.properties.begin(), node.properties.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return &node;
  }

  void compile_keyword(SchemaNode& node, const std::string& keyword, const json& value,
                       const std::string& at) {
    if (keyword == "type") {
      compile_type(node, value, at);
    } else if (keyword == "properties") {
      for (const auto& [name, sub] : object_of(value, at).items())
        node.properties.emplace_back(name, compile(sub, at + "/" + escape_json_pointer_token(name)));
    } else if (keyword == "patternProperties") {
      for (const auto& [pattern, sub] : object_of(value, at).items()) {
        node.pattern_properties.emplace_back(
            compile_pattern(pattern, at), compile(sub, at + "/" + escape_json_pointer_token(pattern)));
      }
    } else if (keyword == "additionalProperties") {
      node.additional_properties = compile(value, at);
    } else if (keyword == "required") {
      if (!value.is_array()) fail(at, "must be an array of strings");
      for (const auto& name : value) {
        if (!name.is_string()) fail(at, "must be an array of strings");
        node.required.push_back(name.get<std::string>());
      }
    } else if (keyword == "enum") {
      if (!value.is_array()) fail(at, "must be an array");
      node.enum_values.emplace(value.begin(), value.end());
    } else if (keyword == "const") {
      node.const_value = value;
    } else if (keyword == "oneOf") {
      node.one_of = compile_list(value, at);
    } else if (keyword == "anyOf") {
      node.any_of = compile_list(value, at);
    } else if (keyword == "allOf") {
      node.all_of = compile_list(value, at);
    } else if (keyword == "not") {
      node.not_schema = compile(value, at);
    } else if (keyword == "$ref") {
      if (!value.is_string()) fail(at, "must be a string");
      pending_refs_.emplace_back(&node, value.get<std::string>());
    } else if (keyword == "$defs" || keyword == "definitions") {
      // Compiled even when unreferenced, so unknown keywords in them are caught.
      for (const auto& [name, sub] : object_of(value, at).items())
        compile(sub, at + "/" + escape_json_pointer_token(name));
    } else if (keyword == "items") {
      if (value.is_array()) fail(at, "the array form of items (draft 4 tuples) is not supported");
      node.items = compile(value, at);
    } else if (keyword == "uniqueItems") {
      if (!value.is_boolean()) fail(at, "must be a boolean");
      node.unique_items = value.get<bool>();
    } else if (keyword == "minItems") {
      node.min_items = count_of(value, at);
    } else if (keyword == "maxItems") {
      node.max_items = count_of(value, at);
    } else if (keyword == "minLength") {
      node.min_length = count_of(value, at);
    } else if (keyword == "maxLength") {
      node.max_length = count_of(value, at);
    } else if (keyword == "minProperties") {
      node.min_properties = count_of(value, at);
    } else if (keyword == "maxProperties") {
      node.max_properties = count_of(value, at);
    } else if (keyword == "minimum") {
      node.minimum = number_of(value, at);
    } else if (keyword == "maximum") {
      node.maximum = number_of(value, at);
    } else if (keyword == "exclusiveMinimum") {
      node.exclusive_minimum = number_of(value, at);
    } else if (keyword == "exclusiveMaximum") {
      node.exclusive_maximum = number_of(value, at);
    } else if (keyword == "pattern") {
      if (!value.is_string()) fail(at, "must be a string");
      node.pattern.emplace(compile_pattern(value.get<std::string>(), at));
    } else if (keyword == "$id" && !node.location.empty()) {
      // A nested $id starts a new base URI for the $refs below it.
      fail(at, "a nested $id is not supported");
    } else if (!is_annotation(keyword)) {
      fail(at, "unsupported JSON-Schema keyword '" + keyword + "'");
    }
  }

  void compile_type(SchemaNode& node, const json& value, const std::string& at) {
    auto add = [&](const json& name) {
      if (!name.is_string()) fail(at, "must be a type name or an array of them");
      std::string text = name.get<std::string>();
      std::uint8_t bit = type_bit(text);
      if (bit == 0) fail(at, "unknown type '" + text + "'");
      node.types |= bit;
      node.type_names.push_back(std::move(text));
    };
    if (value.is_array()) {
      if (value.empty()) fail(at, "must not be empty");
      for (const auto& name : value) add(name);
    } else {
      add(value);
    }
  }

  std::vector<const SchemaNode*> compile_list(const json& value, const std::string& at) {
    if (!value.is_array() || value.empty()) fail(at, "must be a non-empty array of schemas");
    std::vector<const SchemaNode*> list;
    for (std::size_t i = 0; i < value.size(); ++i)
      list.push_back(compile(value[i], at + "/" + std::to_string(i)));
    return list;
  }

  PatternMatcher compile_pattern(const std::string& pattern, const std::string& at) {
    try {
      return PatternMatcher(pattern, lazy_regexes_);
    } catch (const std::regex_error& e) {
      fail(at, "pattern '" + pattern + "' does not compile: " + e.what());
    }
  }

  const json& object_of(const json& value, const std::string& at) const {
    if (!value.is_object()) fail(at, "must be an object");
    return value;
  }

  std::size_t count_of(const json& value, const std::string& at) const {
    if (value.is_number_unsigned()) return value.get<std::size_t>();
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
      return static_cast<std::size_t>(value.get<std::int64_t>());
    fail(at, "must be a non-negative integer");
  }

  double number_of(const json& value, const std::string& at) const {
    if (!value.is_number()) fail(at, "must be a number");
    return value.get<double>();
  }

  const SchemaNode* resolve(const std::string& ref, const std::string& from) {
    if (ref.empty() || ref.front() != '#')
      fail(from, "$ref '" + ref + "' is not local to this schema (only \"#/...\" is supported)");
    std::string pointer = percent_decode(std::string_view(ref).substr(1));
    if (auto it = by_location_.find(pointer); it != by_location_.end()) return it->second;
    if (!pointer.empty() && pointer.front() != '/')
      fail(from, "$ref '" + ref + "' is not a JSON pointer");
    const json* target = &document_;
    std::size_t start = 1;
    while (start <= pointer.size() && !pointer.empty()) {
      std::size_t end = pointer.find('/', start);
      if (end == std::string::npos) end = pointer.size();
      std::string segment =
          unescape_json_pointer_token(std::string_view(pointer).substr(start, end - start));
      if (target->is_object() && target->contains(segment)) {
        target = &(*target)[segment];
      } else if (target->is_array() && !segment.empty() &&
                 std::all_of(segment.begin(), segment.end(),
                             [](unsigned char c) { return std::isdigit(c); }) &&
                 std::stoul(segment) < target->size()) {
        target = &(*target)[std::stoul(segment)];
      } else {
        fail(from, "$ref '" + ref + "' points to nothing");
      }
      start = end + 1;
    }
    return compile(*target, pointer);
  }

  // A cycle through $ref/allOf/anyOf/oneOf/not never moves into the
  // document, so validating anything against it would recurse forever.
  void reject_cycles_in_place() {
    enum class Mark : std::uint8_t { Unseen, Active, Done };
    std::unordered_map<const SchemaNode*, Mark> marks;
    std::function<void(const SchemaNode&)> visit = [&](const SchemaNode& node) {
      Mark& mark = marks[&node];
      if (mark == Mark::Done) return;
      if (mark == Mark::Active)
        fail(node.location, "$ref cycle that never descends into the document");
      mark = Mark::Active;
      auto follow = [&](const SchemaNode* next) {
        if (next) visit(*next);
      };
      follow(node.ref);
      follow(node.not_schema);
      for (const SchemaNode* s : node.all_of) follow(s);
      for (const SchemaNode* s : node.any_of) follow(s);
      for (const SchemaNode* s : node.one_of) follow(s);
      marks[&node] = Mark::Done;
    };
    for (const SchemaNode& node : out_.nodes) visit(node);
  }

  const json& document_;
  CompiledSchema& out_;
  bool lazy_regexes_;
  std::unordered_map<std::string, SchemaNode*> by_location_;
  std::vector<std::pair<SchemaNode*, std::string>> pending_refs_;
};

}  // namespace

const SchemaNode* SchemaNode::find_property(std::string_view name) const {
  auto it = std::lower_bound(properties.begin(), properties.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  if (it != properties.end() && it->first == name) return it->second;
  return nullptr;
}

// JSON Schema counts 2.0 as an integer. An integer must also fit 64 signed
// bits: compose's own loader reads integers into Go's int, and everything
// after validation converts them to int64 (a larger value would wrap, or be
// undefined behaviour when it came as a double).
bool fits_integer(const json& value) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return true;
  if (value.is_number_unsigned())
    return value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!value.is_number_float()) return false;
  const double d = value.get<double>();
  return whole_int64(d) && std::floor(d) == d;
}

std::uint8_t type_bits_of(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return kNull;
    case json::value_t::boolean:
      return kBoolean;
    case json::value_t::object:
      return kObject;
    case json::value_t::array:
      return kArray;
    case json::value_t::string:
      return kString;
    case json::value_t::number_integer:
      return kNumber | kInteger;
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return fits_integer(value) ? (kNumber | kInteger) : kNumber;
    default:
      return 0;
  }
}

}  // namespace berth::schema::detail

namespace berth::schema {

Validator::Validator(std::shared_ptr<const detail::CompiledSchema> compiled)
    : compiled_(std::move(compiled)) {}

Validator Validator::compile(const nlohmann::json& schema, std::string_view name, Regexes regexes) {
  auto compiled = std::make_shared<detail::CompiledSchema>();
  compiled->name = std::string(name);
  detail::Compiler(schema, *compiled, regexes == Regexes::OnFirstUse).run();
  return Validator(std::move(compiled));
}

Validator Validator::compile_text(std::string_view schema_json, std::string_view name, Regexes regexes) {
  nlohmann::json schema;
  try {
    schema = nlohmann::json::parse(schema_json);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorKind::Internal, std::string(name) + ": not valid JSON: " + e.what());
  }
  return compile(schema, name, regexes);
}

}  // namespace berth::schema
