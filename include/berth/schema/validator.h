#pragma once
// A JSON-Schema validator for the keywords the compose specification uses
// (draft 2020-12 subset). A schema is compiled once into a Validator; the
// validator is immutable afterwards and safe to share between threads.
//
// Supported keywords: type (single or list), properties, patternProperties,
// additionalProperties (bool or schema), required, enum, const, oneOf, anyOf,
// allOf, not, $ref (local "#/..." pointers), $defs/definitions, items (one
// schema), uniqueItems, minItems, maxItems, minLength, maxLength,
// minProperties, maxProperties, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, pattern. Annotations are ignored: $schema, $id, $comment,
// title, description, deprecated, default, examples, format (compose-go does
// not assert formats either). Any other keyword makes compile() throw, so a
// schema update that needs a new keyword is noticed at once.
#include <cstddef>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace berth::schema {

namespace detail {
struct CompiledSchema;
}

// One path segment per object key or array index (indices in decimal).
using Path = std::vector<std::string>;

// "services.web.ports.0", as docker compose words paths; "(root)" when empty.
std::string dotted_path(const Path& path);
// RFC 6901 pointer: "/services/web/ports/0" ("~" and "/" escaped), "" for the root.
std::string json_pointer(const Path& path);

struct ValidationError {
  // Where the offending value is. For an unknown property this ends with
  // that property's key, so the caller can point at the key itself.
  Path path;
  // The schema keyword that failed: "type", "additionalProperties", ...
  std::string keyword;
  // Docker compose wording, starting with the dotted path, e.g.
  // "services.web.ports.0 must be a string or number" or
  // "services.web Additional property imagee is not allowed (did you mean 'image'?)".
  std::string message;
  // What the schema wanted: "string or number", "\"a\", \"b\"", ">= 0", ...
  std::string expected;
  // For an unknown property: the closest valid property name, else empty.
  std::string suggestion;

  std::string pointer() const { return json_pointer(path); }
  std::string dotted() const { return dotted_path(path); }
};

class Validator {
 public:
  // Throws berth::Error(ErrorKind::Internal) for a schema that is not valid
  // JSON, uses an unsupported keyword, or has a $ref/pattern that cannot be
  // resolved/compiled. `name` only appears in those messages.
  // Patterns std::regex must handle are compiled now, or (Regexes::OnFirstUse)
  // when a value is first matched against them: compiling one costs more than
  // validating a large project, and most files never reach the rare ones. A
  // bad pattern then throws std::regex_error from validate(): only for a
  // schema whose patterns a test compiles at once (the embedded compose one).
  enum class Regexes { CompileNow, OnFirstUse };
  static Validator compile(const nlohmann::json& schema, std::string_view name = "schema",
                           Regexes regexes = Regexes::CompileNow);
  static Validator compile_text(std::string_view schema_json, std::string_view name = "schema",
                                Regexes regexes = Regexes::CompileNow);

  // Every independent failure, empty when `document` is valid. Errors come
  // in the document's key order (nlohmann::json sorts object keys; callers
  // may re-sort by source position). A failed oneOf/anyOf reports only its
  // most relevant branch: the one whose type matches the value and whose
  // errors lie deepest, or one "must be a <types>" error when no branch
  // accepts the value's type. At most `max_errors` errors are returned
  // (0 = no limit).
  std::vector<ValidationError> validate(const nlohmann::json& document,
                                        std::size_t max_errors = 0) const;
  // Cheaper than validate(): stops at the first failure, allocates nothing.
  bool is_valid(const nlohmann::json& document) const;

 private:
  explicit Validator(std::shared_ptr<const detail::CompiledSchema> compiled);
  std::shared_ptr<const detail::CompiledSchema> compiled_;
};

}  // namespace berth::schema
