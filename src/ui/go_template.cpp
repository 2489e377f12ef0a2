#include "berth/ui/go_template.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "berth/util/error.h"
#include "berth/util/strings.h"

namespace berth::ui {
namespace {

// The docker CLI turns the two-character escapes into the characters
// before parsing (a shell passes `\t` through as backslash and t).
std::string unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 't' || text[i + 1] == 'n')) {
      out += text[i + 1] == 't' ? '\t' : '\n';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> words(const std::string& action) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < action.size()) {
    while (i < action.size() && action[i] == ' ') ++i;
    size_t start = i;
    while (i < action.size() && action[i] != ' ') ++i;
    if (i > start) out.push_back(action.substr(start, i - start));
  }
  return out;
}

std::string as_text(const nlohmann::ordered_json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

GoTemplate::GoTemplate(std::string_view format, std::vector<std::string> fields) {
  std::string text(format);
  if (text.starts_with("table")) {
    table_ = true;
    text.erase(0, 5);
  }
  // As the docker CLI: surrounding spaces go, then the escapes.
  text = unescape(trim(text));
  auto unsupported = [&](const std::string& action) {
    return Error(ErrorKind::Usage,
                 "unsupported --format action {{" + action +
                     "}}: berth understands {{.Field}}, {{json .}}, {{json .Field}}, {{upper .Field}}, "
                     "{{lower .Field}} and {{title .Field}}");
  };
  auto field_name = [&](const std::string& word, const std::string& action) {
    if (word.size() < 2 || word[0] != '.' || word.find('.', 1) != std::string::npos) throw unsupported(action);
    std::string name = word.substr(1);
    if (std::find(fields.begin(), fields.end(), name) == fields.end()) {
      std::string known;
      for (const auto& f : fields) known += (known.empty() ? "." : ", .") + f;
      throw Error(ErrorKind::Usage, "unknown field ." + name + " in --format: use " + known);
    }
    return name;
  };
  size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find("{{", at);
    if (open == std::string::npos) {
      parts_.push_back({Part::Kind::Text, text.substr(at)});
      break;
    }
    if (open > at) parts_.push_back({Part::Kind::Text, text.substr(at, open - at)});
    const auto close = text.find("}}", open + 2);
    if (close == std::string::npos) throw Error(ErrorKind::Usage, "--format has \"{{\" without \"}}\"");
    std::string action = text.substr(open + 2, close - open - 2);
    // {{- and -}} trim the spaces next to them, as Go does.
    if (action.starts_with("- ")) {
      action.erase(0, 2);
      if (!parts_.empty() && parts_.back().kind == Part::Kind::Text) {
        auto& last = parts_.back().text;
        while (!last.empty() && std::isspace(static_cast<unsigned char>(last.back()))) last.pop_back();
      }
    }
    bool trim_after = false;
    if (action.ends_with(" -")) {
      action.erase(action.size() - 2);
      trim_after = true;
    }
    const auto w = words(std::string(trim(action)));
    if (w.size() == 1) {
      parts_.push_back({Part::Kind::Field, field_name(w[0], action)});
    } else if (w.size() == 2 && w[0] == "json" && w[1] == ".") {
      parts_.push_back({Part::Kind::Json, ""});
    } else if (w.size() == 2 && (w[0] == "json" || w[0] == "upper" || w[0] == "lower" || w[0] == "title")) {
      const auto kind = w[0] == "json"    ? Part::Kind::JsonField
                        : w[0] == "upper" ? Part::Kind::Upper
                        : w[0] == "lower" ? Part::Kind::Lower
                                          : Part::Kind::Title;
      parts_.push_back({kind, field_name(w[1], action)});
    } else {
      throw unsupported(action);
    }
    at = close + 2;
    if (trim_after)
      while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  }
}

std::string GoTemplate::render(const nlohmann::ordered_json& object) const {
  std::string out;
  for (const auto& part : parts_) {
    switch (part.kind) {
      case Part::Kind::Text:
        out += part.text;
        break;
      case Part::Kind::Field:
        out += as_text(object.value(part.text, nlohmann::ordered_json("")));
        break;
      case Part::Kind::Json:
        out += object.dump();
        break;
      case Part::Kind::JsonField:
        out += object.value(part.text, nlohmann::ordered_json("")).dump();
        break;
      case Part::Kind::Upper:
      case Part::Kind::Lower:
      case Part::Kind::Title: {
        std::string value = as_text(object.value(part.text, nlohmann::ordered_json("")));
        bool word_start = true;
        for (auto& c : value) {
          const auto u = static_cast<unsigned char>(c);
          if (part.kind == Part::Kind::Upper) c = static_cast<char>(std::toupper(u));
          else if (part.kind == Part::Kind::Lower) c = static_cast<char>(std::tolower(u));
          else if (word_start) c = static_cast<char>(std::toupper(u));
          word_start = !std::isalnum(u);
        }
        out += value;
        break;
      }
    }
  }
  return out;
}

std::string align_tabs(const std::vector<std::string>& lines) {
  constexpr size_t min_width = 10, padding = 3;
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const auto& line : lines) {
    auto& row = cells.emplace_back();
    size_t start = 0;
    for (;;) {
      const auto tab = line.find('\t', start);
      row.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    // Only tab-terminated cells make a column.
    for (size_t i = 0; i + 1 < row.size(); ++i) {
      if (widths.size() <= i) widths.resize(i + 1, min_width);
      widths[i] = std::max(widths[i], row[i].size() + padding);
    }
  }
  std::string out;
  for (const auto& row : cells) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size(), ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string render_rows(const GoTemplate& tmpl, const nlohmann::ordered_json& header,
                        const std::vector<nlohmann::ordered_json>& rows) {
  if (!tmpl.table()) {
    std::string out;
    for (const auto& row : rows) out += tmpl.render(row) + "\n";
    return out;
  }
  std::vector<std::string> lines{tmpl.render(header)};
  for (const auto& row : rows) lines.push_back(tmpl.render(row));
  return align_tabs(lines);
}

}  // namespace berth::ui
