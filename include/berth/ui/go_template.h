#pragma once
// The docker CLI's --format templates (Go text/template), the subset its
// users write: literal text with `\t`/`\n` escapes, `{{.Field}}`,
// `{{json .}}`, `{{json .Field}}`, `{{upper .Field}}`, `{{lower .Field}}`,
// `{{title .Field}}`; a leading "table " makes a table whose header comes from
// rendering the template with the header names, aligned as the docker CLI's
// tabwriter does. Anything else (pipelines, if/range, other functions) is
// refused naming the action, never rendered wrong.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace berth::ui {

class GoTemplate {
 public:
  // `fields`: the names `.Field` may use. Throws berth::Error (Usage) naming
  // the unsupported action or unknown field.
  GoTemplate(std::string_view format, std::vector<std::string> fields);

  bool table() const { return table_; }
  // `object` maps every field to its value (strings, or any JSON for
  // `json .`).
  std::string render(const nlohmann::ordered_json& object) const;

 private:
  struct Part {
    enum class Kind { Text, Field, Json, JsonField, Upper, Lower, Title } kind = Kind::Text;
    std::string text;  // the literal, or the field's name
  };
  std::vector<Part> parts_;
  bool table_ = false;
};

// Lines whose cells are separated by tabs, laid out as Go's text/tabwriter
// with the docker CLI's settings (cells padded to the widest of their column
// plus 3, at least 10; the last cell of a line is not padded).
std::string align_tabs(const std::vector<std::string>& lines);

// For the table form: the rows rendered under the header (rendered from
// `header`), aligned; for the other form, one rendered line per row.
std::string render_rows(const GoTemplate& tmpl, const nlohmann::ordered_json& header,
                        const std::vector<nlohmann::ordered_json>& rows);

}  // namespace berth::ui
