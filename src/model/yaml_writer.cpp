#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <cctype>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "berth/model/field_order.h"
#include "berth/model/output.h"
#include "berth/util/strings.h"
#include "berth/util/two_halves.h"

namespace berth::model {

using nlohmann::json;

namespace {

bool all_of(std::string_view text, size_t from, int (*pred)(int)) {
  if (from >= text.size()) return false;
  for (size_t i = from; i < text.size(); ++i)
    if (!pred(static_cast<unsigned char>(text[i]))) return false;
  return true;
}

int is_octal(int c) { return c >= '0' && c <= '7'; }
int is_binary(int c) { return c == '0' || c == '1'; }

// Integers, floats, 0o/0x forms, .inf and .nan, as a YAML reader resolves them.
bool looks_like_number(std::string_view text) {
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return true;
  size_t pos = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  std::string_view body = text.substr(pos);
  if (body == ".inf" || body == ".Inf" || body == ".INF") return true;
  if (body.starts_with("0o")) return all_of(body, 2, is_octal);
  if (body.starts_with("0x")) return all_of(body, 2, isxdigit);
  if (body.starts_with("0b")) return all_of(body, 2, is_binary);
  size_t i = 0, digits = 0;
  while (i < body.size() && (std::isdigit(static_cast<unsigned char>(body[i])) || (body[i] == '_' && digits))) {
    digits += body[i] != '_';
    ++i;
  }
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    if (!all_of(body.substr(0, body.size()), i, isdigit)) return false;
    return true;
  }
  return i == body.size();
}

// True when a plain scalar with this text would be read back as something
// other than this string (YAML 1.2 core schema, plus YAML 1.1 booleans that
// older readers still honour).
bool resolves_to_non_string(const std::string& text) {
  static const std::array<std::string_view, 27> reserved = {
      "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
      "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"};
  if (text.empty()) return true;
  const char first = text.front();
  // Only these can start a reserved word: the writer runs over every value
  // of a large project, most of which cannot.
  if (text.size() <= 5 && std::string_view("~nNtTfFyYoO").find(first) != std::string_view::npos)
    for (auto word : reserved)
      if (text == word) return true;
  // Only these can start a number (".inf", "-1", "+.5", "0x1f", ...).
  if (!std::isdigit(static_cast<unsigned char>(first)) && first != '-' && first != '+' && first != '.')
    return false;
  return looks_like_number(text);
}

// Per byte: may need a closer look inside a plain scalar (control
// characters, ':' before a space, ' ' before '#'). Most bytes need none.
constexpr std::array<bool, 256> kInspect = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = true;
  table[0x7f] = table[':'] = table[' '] = true;
  return table;
}();

bool needs_quotes(const std::string& text) {
  if (resolves_to_non_string(text)) return true;
  if (text == "<<") return true;
  unsigned char first = static_cast<unsigned char>(text.front());
  unsigned char last = static_cast<unsigned char>(text.back());
  if (std::string_view("[]{},#&*!|>'\"%@`").find(static_cast<char>(first)) != std::string_view::npos)
    return true;
  if ((first == '-' || first == '?' || first == ':') && (text.size() == 1 || text[1] == ' ')) return true;
  if (first == ' ' || last == ' ' || last == ':') return true;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!kInspect[c]) continue;
    if (c < 0x20 || c == 0x7f) return true;
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if ((c == ':' && next == ' ') || (c == ' ' && next == '#')) return true;  // ": " and " #"
  }
  return false;
}

bool literal_block_fits(const std::string& text) {
  if (text.find('\n') == std::string::npos) return false;
  if (text.front() == ' ' || text.front() == '\n') return false;
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (end > pos && text[end - 1] == ' ') return false;  // trailing blanks would be lost by editors
    pos = end + 1;
  }
  return true;
}

// Appends a scalar's YAML text to `out` (no temporary strings: the writer
// runs over every value of a large project).
void append_scalar(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::null: out += "null"; return;
    case json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case json::value_t::string: {
      const std::string& text = value.get_ref<const std::string&>();
      if (needs_quotes(text)) append_double_quoted(out, text);
      else out += text;
      return;
    }
    case json::value_t::number_integer: out += std::to_string(value.get<std::int64_t>()); return;
    case json::value_t::number_unsigned: out += std::to_string(value.get<std::uint64_t>()); return;
    default: out += value.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

std::string scalar(const json& value) {
  std::string out;
  append_scalar(out, value);
  return out;
}


bool is_block(const json& value) {
  return (value.is_object() || value.is_array()) && !value.empty();
}

// Below this many services a second thread costs more than it saves.
constexpr std::size_t kServicesWorthAThread = 64;

class Writer {
 public:
  std::string out;
  const std::unordered_map<std::string_view, const std::string*>* comments = nullptr;  // JSON pointer -> comment

  // Writes `value` as the value of a mapping key (after "key:") at `indent`;
  // `shape` orders its keys (or its items' keys) as docker compose does.
  void value_after_key(const json& value, int indent, Shape shape) {
    if (value.is_object() && !value.empty()) {
      out += "\n";
      mapping(value, indent + 2, false, shape);
    } else if (value.is_array() && !value.empty()) {
      out += "\n";
      sequence(value, indent + 2, false, shape);
    } else {
      inline_value(value, indent);
    }
  }

  void inline_value(const json& value, int indent) {
    if (value.is_object()) { out += " {}\n"; return; }
    if (value.is_array()) { out += " []\n"; return; }
    if (value.is_string() && literal_block_fits(value.get_ref<const std::string&>())) {
      literal(value.get_ref<const std::string&>(), indent + 2);
      return;
    }
    out += ' ';
    append_scalar(out, value);
    out += '\n';
  }

  void literal(const std::string& text, int indent) {
    size_t trailing = 0;
    while (trailing < text.size() && text[text.size() - 1 - trailing] == '\n') ++trailing;
    out += trailing == 0 ? " |-\n" : trailing == 1 ? " |\n" : " |+\n";
    std::string body = text.substr(0, text.size() - trailing);
    size_t pos = 0;
    while (pos <= body.size()) {
      size_t end = body.find('\n', pos);
      if (end == std::string::npos) end = body.size();
      std::string line = body.substr(pos, end - pos);
      if (!line.empty()) out.append(static_cast<size_t>(indent), ' ').append(line);
      out += "\n";
      pos = end + 1;
    }
    for (size_t i = 1; i < trailing; ++i) out += "\n";
  }

  void entry(const std::string& key, const json& value, int indent, bool first_inline,
             Shape shape = Shape::Other) {
    if (!first_inline) out.append(static_cast<size_t>(indent), ' ');
    if (key.empty() || needs_quotes(key)) append_double_quoted(out, key);
    else out += key;
    out += ':';
    if (!comments) {
      value_after_key(value, indent, shape);
      return;
    }
    // The pointer is only needed to place comments: one buffer, grown and
    // cut back as the writer descends, so no string is made per entry.
    const size_t parent_length = pointer_.size();
    append_json_pointer_token(pointer_, key);
    const size_t key_line_end = out.size();
    value_after_key(value, indent, shape);
    auto comment = comments->find(pointer_);
    pointer_.resize(parent_length);
    if (comment == comments->end()) return;
    // At the end of the key's own line: after an inline value, or after
    // "key:" (and a block scalar's indicator) when the value is a block.
    size_t newline = out.find('\n', key_line_end);
    comment_text_.assign("  # ").append(*comment->second);
    out.insert(newline == std::string::npos ? out.size() : newline, comment_text_);
  }

  // `first_inline`: the first line continues a "- " already written. A
  // struct shape's fields come first, in compose-go's order, then the other
  // keys (extensions) sorted.
  void mapping(const json& value, int indent, bool first_inline = false, Shape shape = Shape::Other) {
    bool first = true;
    if (field_order(shape).empty()) {
      for (const auto& [key, item] : value.items()) {
        entry(key, item, indent, first && first_inline, child_shape(shape, key));
        first = false;
      }
      return;
    }
    // The keys come sorted: a stable sort by field rank keeps extensions
    // sorted. One scratch list per depth, reused from mapping to mapping.
    if (sort_scratch_.size() <= depth_) sort_scratch_.resize(depth_ + 1);
    auto& keys = sort_scratch_[depth_];
    keys.clear();
    for (auto it = value.begin(); it != value.end(); ++it) keys.emplace_back(field_rank(shape, it.key()), it);
    // Insertion sort: stable, allocates nothing, and mappings are small.
    for (std::size_t i = 1; i < keys.size(); ++i)
      for (std::size_t j = i; j > 0 && keys[j].first < keys[j - 1].first; --j) std::swap(keys[j], keys[j - 1]);
    const std::size_t count = keys.size();
    ++depth_;
    for (std::size_t i = 0; i < count; ++i) {
      // `keys` may move when a deeper mapping grows sort_scratch_: index it.
      const auto it = sort_scratch_[depth_ - 1][i].second;
      entry(it.key(), *it, indent, first && first_inline, child_shape(shape, it.key()));
      first = false;
    }
    --depth_;
  }

  // `shape`: that of the items.
  void sequence(const json& value, int indent, bool first_inline = false, Shape shape = Shape::Other) {
    bool first = true;
    size_t index = 0;
    const size_t parent_length = pointer_.size();
    for (const auto& item : value) {
      if (comments) {
        pointer_.resize(parent_length);
        pointer_ += '/';
        pointer_ += std::to_string(index++);
      }
      if (!(first && first_inline)) out.append(static_cast<size_t>(indent), ' ');
      first = false;
      out += "-";
      if (item.is_object() && !item.empty()) {
        out += " ";
        mapping(item, indent + 2, true, shape);
      } else if (item.is_array() && !item.empty()) {
        out += " ";
        sequence(item, indent + 2, true);
      } else {
        inline_value(item, indent);
      }
    }
    pointer_.resize(parent_length);
  }

  // "services:" and its entries, the second half written on another thread:
  // the writer is a tenth of `berth config`'s time on a large project, and
  // the halves are independent.
  void services_in_halves(const json& services) {
    out += "services:\n";
    Writer second;
    second.comments = comments;
    in_two_halves(services.size(), [&](std::size_t first, std::size_t last) {
      Writer& writer = first == 0 ? *this : second;
      writer.pointer_ = "/services";
      auto it = std::next(services.begin(), static_cast<std::ptrdiff_t>(first));
      for (std::size_t i = first; i < last; ++i, ++it) writer.entry(it.key(), it.value(), 2, false, Shape::Service);
      writer.pointer_.clear();
    }, kServicesWorthAThread);
    out += second.out;
  }

 private:
  std::string pointer_;  // JSON pointer of the value being written
  std::string comment_text_;  // "  # comment", built in place for each comment
  std::vector<std::vector<std::pair<std::size_t, json::const_iterator>>> sort_scratch_;  // per depth
  std::size_t depth_ = 0;     // of struct-shaped mappings being written
};

}  // namespace

std::string to_yaml(const json& doc) { return to_yaml(doc, {}); }

std::string to_yaml(const json& doc, const std::map<std::string, std::string>& comments) {
  Writer w;
  std::unordered_map<std::string_view, const std::string*> comment_index;
  for (const auto& [pointer, comment] : comments) comment_index.emplace(pointer, &comment);
  w.comments = comments.empty() ? nullptr : &comment_index;
  if (!doc.is_object()) {
    if (is_block(doc)) w.sequence(doc, 0);
    else w.out = scalar(doc) + "\n";
    return w.out;
  }
  static const std::array<const char*, 7> order = {"name", "services", "networks", "volumes",
                                                   "secrets", "configs", "models"};
  for (const char* key : order) {
    auto it = doc.find(key);
    if (it == doc.end()) continue;
    if (std::string_view(key) == "services" && it->is_object() && it->size() >= kServicesWorthAThread)
      w.services_in_halves(*it);
    else
      w.entry(key, *it, 0, false, child_shape(Shape::Project, key));
  }
  for (const auto& [key, value] : doc.items()) {
    bool ordered = false;
    for (const char* k : order) ordered = ordered || key == k;
    if (!ordered) w.entry(key, value, 0, false);
  }
  return w.out;
}

void escape_dollars(json& doc) {
  if (doc.is_string()) {
    std::string& text = doc.get_ref<std::string&>();
    if (text.find('$') == std::string::npos) return;
    std::string out;
    out.reserve(text.size() + 4);
    for (char c : text) {
      out.push_back(c);
      if (c == '$') out.push_back('$');
    }
    text = std::move(out);
  } else if (doc.is_structured()) {
    for (auto& item : doc) escape_dollars(item);
  }
}

std::string to_json_text(const json& doc, int indent) {
  return doc.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace berth::model
