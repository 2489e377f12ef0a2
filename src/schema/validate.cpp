// Validation runs in two passes: a fast yes/no walk that allocates nothing
// (valid projects, the common case, never pay for error reporting), then, only
// when that fails, a second walk that builds paths and messages.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "berth/schema/validator.h"
#include "berth/util/suggest.h"
#include "compiled_schema.h"

namespace berth::schema {
namespace detail {
namespace {

using nlohmann::json;

// How far the type probe follows $ref and combinators. compile() already
// refuses cycles that stay in place; this is a second, cheap guard.
constexpr int kMaxTypeProbeDepth = 64;
// Only a recursive schema can follow a document this deep; past it the value
// is refused instead of risking the stack.
constexpr int kMaxDocumentDepth = 512;

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool type_ok(std::uint8_t wanted, const json& value) {
  return wanted == 0 || (wanted & type_bits_of(value)) != 0;
}

// A hash that agrees with json's operator==, which std::hash<json> does not:
// 1 and 1.0 are equal (also deep inside arrays and objects) but hash apart.
std::size_t equality_hash(const json& value) {
  auto mix = [](std::size_t seed, std::size_t h) {
    return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
  };
  switch (value.type()) {
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return std::hash<double>()(value.get<double>());
    case json::value_t::string:
      return std::hash<std::string>()(value.get_ref<const std::string&>());
    case json::value_t::boolean:
      return value.get<bool>() ? 0x51 : 0x52;
    case json::value_t::array: {
      std::size_t seed = 0xa7;
      for (const auto& item : value) seed = mix(seed, equality_hash(item));
      return seed;
    }
    case json::value_t::object: {
      std::size_t seed = 0x0b;
      for (const auto& [key, member] : value.items())
        seed = mix(mix(seed, std::hash<std::string>()(key)), equality_hash(member));
      return seed;
    }
    default:
      return 0;
  }
}

// The first pair of equal items (i < j), if any.
bool find_duplicate(const json& array, std::size_t& first, std::size_t& second) {
  const std::size_t n = array.size();
  if (n < 2) return false;
  if (n <= 32) {
    for (std::size_t j = 1; j < n; ++j)
      for (std::size_t i = 0; i < j; ++i)
        if (array[i] == array[j]) {
          first = i;
          second = j;
          return true;
        }
    return false;
  }
  // Long lists: bucket by hash so the check stays linear.
  std::unordered_multimap<std::size_t, std::size_t> seen;
  seen.reserve(n);
  for (std::size_t j = 0; j < n; ++j) {
    std::size_t h = equality_hash(array[j]);
    auto [begin, end] = seen.equal_range(h);
    std::size_t best = j;
    for (auto it = begin; it != end; ++it)
      if (array[it->second] == array[j]) best = std::min(best, it->second);
    if (best != j) {
      first = best;
      second = j;
      return true;
    }
    seen.emplace(h, j);
  }
  return false;
}

bool valid(const SchemaNode& node, const json& value, int depth = 0);

bool valid_object(const SchemaNode& node, const json& value, int depth) {
  for (const auto& name : node.required)
    if (!value.contains(name)) return false;
  if (node.min_properties && value.size() < *node.min_properties) return false;
  if (node.max_properties && value.size() > *node.max_properties) return false;
  if (node.properties.empty() && node.pattern_properties.empty() && !node.additional_properties)
    return true;
  for (const auto& [key, member] : value.items()) {
    bool matched = false;
    if (const SchemaNode* sub = node.find_property(key)) {
      matched = true;
      if (!valid(*sub, member, depth + 1)) return false;
    }
    for (const auto& [pattern, sub] : node.pattern_properties) {
      if (pattern.matches(key)) {
        matched = true;
        if (!valid(*sub, member, depth + 1)) return false;
      }
    }
    if (!matched && node.additional_properties &&
        !valid(*node.additional_properties, member, depth + 1))
      return false;
  }
  return true;
}

bool valid_array(const SchemaNode& node, const json& value, int depth) {
  if (node.min_items && value.size() < *node.min_items) return false;
  if (node.max_items && value.size() > *node.max_items) return false;
  if (node.items) {
    for (const auto& item : value)
      if (!valid(*node.items, item, depth + 1)) return false;
  }
  std::size_t i = 0, j = 0;
  return !(node.unique_items && find_duplicate(value, i, j));
}

bool valid_string(const SchemaNode& node, const json& value) {
  const auto& text = value.get_ref<const std::string&>();
  if (node.min_length || node.max_length) {
    std::size_t length = code_points(text);
    if (node.min_length && length < *node.min_length) return false;
    if (node.max_length && length > *node.max_length) return false;
  }
  return !node.pattern || node.pattern->matches(text);
}

bool valid_number(const SchemaNode& node, const json& value) {
  double d = value.get<double>();
  if (node.minimum && d < *node.minimum) return false;
  if (node.maximum && d > *node.maximum) return false;
  if (node.exclusive_minimum && d <= *node.exclusive_minimum) return false;
  if (node.exclusive_maximum && d >= *node.exclusive_maximum) return false;
  return true;
}

bool valid(const SchemaNode& node, const json& value, int depth) {
  if (depth > kMaxDocumentDepth) return false;
  if (node.always_false) return false;
  if (!type_ok(node.types, value)) return false;
  if (node.ref && !valid(*node.ref, value, depth + 1)) return false;
  switch (value.type()) {
    case json::value_t::object:
      if (!valid_object(node, value, depth)) return false;
      break;
    case json::value_t::array:
      if (!valid_array(node, value, depth)) return false;
      break;
    case json::value_t::string:
      if (!valid_string(node, value)) return false;
      break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      if (!valid_number(node, value)) return false;
      break;
    default:
      break;
  }
  if (node.enum_values && std::find(node.enum_values->begin(), node.enum_values->end(), value) ==
                              node.enum_values->end())
    return false;
  if (node.const_value && !(*node.const_value == value)) return false;
  for (const SchemaNode* sub : node.all_of)
    if (!valid(*sub, value, depth + 1)) return false;
  if (!node.any_of.empty() &&
      std::none_of(node.any_of.begin(), node.any_of.end(),
                   [&](const SchemaNode* s) { return valid(*s, value, depth + 1); }))
    return false;
  if (!node.one_of.empty()) {
    int passing = 0;
    for (const SchemaNode* sub : node.one_of) {
      if (valid(*sub, value, depth + 1) && ++passing > 1) return false;
    }
    if (passing != 1) return false;
  }
  if (node.not_schema && valid(*node.not_schema, value, depth + 1)) return false;
  return true;
}

// Could this schema accept a value of this type at all? Used to find the
// oneOf/anyOf branch the user was aiming for.
bool accepts_type(const SchemaNode& node, std::uint8_t bits, int depth = 0) {
  if (depth > kMaxTypeProbeDepth) return true;
  if (node.always_false) return false;
  if (node.types && !(node.types & bits)) return false;
  if (node.ref && !accepts_type(*node.ref, bits, depth + 1)) return false;
  auto accepts = [&](const SchemaNode* s) { return accepts_type(*s, bits, depth + 1); };
  if (!node.one_of.empty() && std::none_of(node.one_of.begin(), node.one_of.end(), accepts))
    return false;
  if (!node.any_of.empty() && std::none_of(node.any_of.begin(), node.any_of.end(), accepts))
    return false;
  return std::all_of(node.all_of.begin(), node.all_of.end(), accepts);
}

void add_declared_types(const SchemaNode& node, std::vector<std::string>& names, int depth = 0) {
  if (depth > kMaxTypeProbeDepth) return;
  if (node.types) {
    for (const auto& name : node.type_names)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    return;
  }
  if (node.ref) add_declared_types(*node.ref, names, depth + 1);
  for (const SchemaNode* s : node.one_of) add_declared_types(*s, names, depth + 1);
  for (const SchemaNode* s : node.any_of) add_declared_types(*s, names, depth + 1);
}

std::string human_type(const std::string& name) {
  if (name == "object") return "mapping";
  if (name == "array") return "list";
  return name;
}

// "string", "string or number", "boolean, string or mapping".
std::string human_types(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += human_type(names[i]);
  }
  return out;
}

// "must be a string", "must be an integer or string".
std::string must_be(const std::string& types) {
  bool vowel =
      !types.empty() && std::string_view("aeiou").find(types.front()) != std::string_view::npos;
  return (vowel ? "must be an " : "must be a ") + types;
}

// Said when an integer was wanted and the value is a whole number too large
// for one: "must be an integer" alone would puzzle whoever wrote 1e30.
std::string beyond_64_bits(const SchemaNode& node, const json& value) {
  if ((node.types & kInteger) == 0 || !value.is_number()) return {};
  const double d = value.get<double>();
  if (!std::isfinite(d) || std::floor(d) != d) return {};
  return " (this one is beyond the 64-bit range)";
}

std::string counted(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string number_text(double d) {
  if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e15)
    return std::to_string(static_cast<long long>(d));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", d);
  return buffer;
}

class ErrorCollector {
 public:
  ErrorCollector(std::vector<ValidationError>& out, std::size_t max_errors)
      : out_(out), max_errors_(max_errors) {}

  bool full() const { return max_errors_ != 0 && out_.size() >= max_errors_; }

  void collect(const SchemaNode& node, const json& value) {
    if (full()) return;
    if (depth_ > kMaxDocumentDepth) {
      emit("depth", "is nested too deeply",
           "at most " + std::to_string(kMaxDocumentDepth) + " levels");
      return;
    }
    ++depth_;
    collect_at_depth(node, value);
    --depth_;
  }

 private:
  void collect_at_depth(const SchemaNode& node, const json& value) {
    if (node.always_false) {
      emit("false", "is not allowed here", "nothing");
      return;
    }
    if (!type_ok(node.types, value)) {
      std::string expected = human_types(node.type_names);
      emit("type", must_be(expected) + beyond_64_bits(node, value), expected);
      return;
    }
    if (node.ref) collect(*node.ref, value);
    switch (value.type()) {
      case json::value_t::object:
        collect_object(node, value);
        break;
      case json::value_t::array:
        collect_array(node, value);
        break;
      case json::value_t::string:
        collect_string(node, value);
        break;
      case json::value_t::number_integer:
      case json::value_t::number_unsigned:
      case json::value_t::number_float:
        collect_number(node, value);
        break;
      default:
        break;
    }
    if (node.enum_values && std::find(node.enum_values->begin(), node.enum_values->end(), value) ==
                                node.enum_values->end()) {
      std::string allowed;
      for (const auto& v : *node.enum_values) {
        if (!allowed.empty()) allowed += ", ";
        allowed += v.dump();
      }
      emit("enum", "must be one of the following: " + allowed, allowed);
    }
    if (node.const_value && !(*node.const_value == value))
      emit("const", "does not match: " + node.const_value->dump(), node.const_value->dump());
    for (const SchemaNode* sub : node.all_of) collect(*sub, value);
    if (!node.any_of.empty() &&
        std::none_of(node.any_of.begin(), node.any_of.end(),
                     [&](const SchemaNode* s) { return valid(*s, value, depth_); }))
      collect_best_branch(node.any_of, value, "anyOf", "must validate at least one schema (anyOf)");
    if (!node.one_of.empty()) {
      std::size_t passing =
          std::count_if(node.one_of.begin(), node.one_of.end(),
                        [&](const SchemaNode* s) { return valid(*s, value, depth_); });
      if (passing == 0)
        collect_best_branch(node.one_of, value, "oneOf",
                            "must validate one and only one schema (oneOf)");
      else if (passing > 1)
        emit("oneOf", "must validate one and only one schema (oneOf)",
             "exactly one matching schema");
    }
    if (node.not_schema && valid(*node.not_schema, value, depth_))
      emit("not", "must not validate the schema (not)", "not matching the schema");
  }

  void emit(std::string keyword, const std::string& what, std::string expected,
            std::string suggestion = {}) {
    if (full()) return;
    ValidationError error;
    error.path = path_;
    error.keyword = std::move(keyword);
    error.message = dotted_path(path_) + " " + what;
    error.expected = std::move(expected);
    error.suggestion = std::move(suggestion);
    out_.push_back(std::move(error));
  }

  void collect_object(const SchemaNode& node, const json& value) {
    for (const auto& name : node.required)
      if (!value.contains(name)) emit("required", name + " is required", name);
    if (node.min_properties && value.size() < *node.min_properties)
      emit("minProperties",
           "must have at least " + counted(*node.min_properties, "property", "properties"),
           ">= " + std::to_string(*node.min_properties) + " properties");
    if (node.max_properties && value.size() > *node.max_properties)
      emit("maxProperties",
           "must have at most " + counted(*node.max_properties, "property", "properties"),
           "<= " + std::to_string(*node.max_properties) + " properties");
    for (const auto& [key, member] : value.items()) {
      if (full()) return;
      bool matched = false;
      path_.push_back(key);
      if (const SchemaNode* sub = node.find_property(key)) {
        matched = true;
        collect(*sub, member);
      }
      for (const auto& [pattern, sub] : node.pattern_properties) {
        if (pattern.matches(key)) {
          matched = true;
          collect(*sub, member);
        }
      }
      if (!matched && node.additional_properties) {
        if (node.additional_properties->always_false) {
          report_unknown_property(node, key);
        } else {
          collect(*node.additional_properties, member);
        }
      }
      path_.pop_back();
    }
  }

  // path_ ends with the unknown key; docker compose names the object instead.
  void report_unknown_property(const SchemaNode& node, const std::string& key) {
    if (full()) return;
    std::vector<std::string> known;
    known.reserve(node.properties.size());
    for (const auto& entry : node.properties) known.push_back(entry.first);
    std::string suggestion = closest_name(key, known);
    Path parent(path_.begin(), path_.end() - 1);
    ValidationError error;
    error.path = path_;
    error.keyword = "additionalProperties";
    error.message = dotted_path(parent) + " Additional property " + key + " is not allowed";
    if (!suggestion.empty()) error.message += " (did you mean '" + suggestion + "'?)";
    if (known.empty() && !node.pattern_properties.empty()) {
      // A map of user-chosen names (services, volumes, ...): say what a name may be.
      std::string patterns;
      for (const auto& [pattern, sub] : node.pattern_properties) {
        if (!patterns.empty()) patterns += " or ";
        patterns += "'" + pattern.source() + "'";
      }
      error.expected = "a key matching " + patterns;
      error.message += " (keys must match " + patterns + ")";
    } else {
      error.expected = known.empty() ? "no other property" : "a known property";
    }
    error.suggestion = std::move(suggestion);
    out_.push_back(std::move(error));
  }

  void collect_array(const SchemaNode& node, const json& value) {
    if (node.min_items && value.size() < *node.min_items)
      emit("minItems", "array must have at least " + counted(*node.min_items, "item", "items"),
           ">= " + std::to_string(*node.min_items) + " items");
    if (node.max_items && value.size() > *node.max_items)
      emit("maxItems", "array must have at most " + counted(*node.max_items, "item", "items"),
           "<= " + std::to_string(*node.max_items) + " items");
    if (node.items) {
      for (std::size_t i = 0; i < value.size() && !full(); ++i) {
        path_.push_back(std::to_string(i));
        collect(*node.items, value[i]);
        path_.pop_back();
      }
    }
    std::size_t first = 0, second = 0;
    if (node.unique_items && find_duplicate(value, first, second))
      emit("uniqueItems",
           "array items[" + std::to_string(first) + "," + std::to_string(second) +
               "] must be unique",
           "unique items");
  }

  void collect_string(const SchemaNode& node, const json& value) {
    const auto& text = value.get_ref<const std::string&>();
    std::size_t length = code_points(text);
    if (node.min_length && length < *node.min_length)
      emit("minLength",
           "String length must be greater than or equal to " + std::to_string(*node.min_length),
           ">= " + std::to_string(*node.min_length) + " characters");
    if (node.max_length && length > *node.max_length)
      emit("maxLength",
           "String length must be less than or equal to " + std::to_string(*node.max_length),
           "<= " + std::to_string(*node.max_length) + " characters");
    if (node.pattern && !node.pattern->matches(text))
      emit("pattern", "Does not match pattern '" + node.pattern->source() + "'",
           node.pattern->source());
  }

  void collect_number(const SchemaNode& node, const json& value) {
    double d = value.get<double>();
    if (node.minimum && d < *node.minimum)
      emit("minimum", "must be greater than or equal to " + number_text(*node.minimum),
           ">= " + number_text(*node.minimum));
    if (node.maximum && d > *node.maximum)
      emit("maximum", "must be less than or equal to " + number_text(*node.maximum),
           "<= " + number_text(*node.maximum));
    if (node.exclusive_minimum && d <= *node.exclusive_minimum)
      emit("exclusiveMinimum", "must be greater than " + number_text(*node.exclusive_minimum),
           "> " + number_text(*node.exclusive_minimum));
    if (node.exclusive_maximum && d >= *node.exclusive_maximum)
      emit("exclusiveMaximum", "must be less than " + number_text(*node.exclusive_maximum),
           "< " + number_text(*node.exclusive_maximum));
  }

  // No branch passed. Report the branch the user most likely meant rather
  // than every branch's complaints: among the branches that accept the
  // value's type, the one whose first problem lies deepest in the document.
  // When no branch takes this type, one type error listing them all.
  void collect_best_branch(const std::vector<const SchemaNode*>& branches, const json& value,
                           const char* keyword, const char* fallback) {
    std::uint8_t bits = type_bits_of(value);
    std::vector<ValidationError> best;
    std::size_t best_depth = 0;
    bool have_best = false;
    for (const SchemaNode* branch : branches) {
      if (!accepts_type(*branch, bits)) continue;
      std::vector<ValidationError> errors;
      ErrorCollector sub(errors, 0);
      sub.path_ = path_;
      sub.depth_ = depth_;
      sub.collect(*branch, value);
      std::size_t depth = 0;
      for (const auto& e : errors) depth = std::max(depth, e.path.size());
      if (!have_best || depth > best_depth) {
        best = std::move(errors);
        best_depth = depth;
        have_best = true;
      }
    }
    if (have_best && !best.empty()) {
      for (auto& e : best) {
        if (full()) return;
        out_.push_back(std::move(e));
      }
      return;
    }
    std::vector<std::string> names;
    for (const SchemaNode* branch : branches) add_declared_types(*branch, names);
    if (!names.empty() && !have_best) {
      std::string expected = human_types(names);
      emit("type", must_be(expected), expected);
    } else {
      emit(keyword, fallback, "a value matching one of the alternatives");
    }
  }

  std::vector<ValidationError>& out_;
  std::size_t max_errors_;
  Path path_;
  int depth_ = 0;
};

}  // namespace
}  // namespace detail

bool Validator::is_valid(const nlohmann::json& document) const {
  return detail::valid(*compiled_->root, document);
}

std::vector<ValidationError> Validator::validate(const nlohmann::json& document,
                                                 std::size_t max_errors) const {
  std::vector<ValidationError> errors;
  if (detail::valid(*compiled_->root, document)) return errors;
  detail::ErrorCollector(errors, max_errors).collect(*compiled_->root, document);
  return errors;
}

}  // namespace berth::schema
