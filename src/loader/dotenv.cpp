#include "berth/loader/dotenv.h"

#include <unordered_map>

#include "berth/loader/diagnostics.h"
#include "interpolation.h"
#include "yaml_reader.h"

namespace berth::loader {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
bool is_key_char(char c) {
  return c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

class DotenvParser {
 public:
  DotenvParser(std::string_view text, const std::string& file, const DotenvLookup& lookup,
               const DotenvLookup& fallback)
      : s_(text), file_(file), lookup_(lookup), fallback_(fallback) {}

  std::vector<std::pair<std::string, std::string>> parse() {
    check_text(s_, file_, "env file");
    while (skip_to_statement()) statement();
    return std::move(result_);
  }

 private:
  SourceMark mark_at(std::size_t pos) const { return mark_of_offset(s_, pos, file_); }
  [[noreturn]] void fail(std::size_t pos, const std::string& message) const {
    throw config_error(mark_at(pos), message);
  }

  // Skips blank lines and comments; false at the end of input.
  bool skip_to_statement() {
    while (i_ < s_.size()) {
      if (is_blank(s_[i_]) || s_[i_] == '\n') {
        ++i_;
      } else if (s_[i_] == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else {
        return true;
      }
    }
    return false;
  }

  void skip_blanks() {
    while (i_ < s_.size() && is_blank(s_[i_])) ++i_;
  }

  void statement() {
    if (s_.substr(i_, 6) == "export" && i_ + 6 < s_.size() && is_blank(s_[i_ + 6])) {
      i_ += 6;
      skip_blanks();
    }
    const std::size_t key_start = i_;
    while (i_ < s_.size() && is_key_char(s_[i_])) ++i_;
    std::string key(s_.substr(key_start, i_ - key_start));
    skip_blanks();
    if (key.empty())
      fail(i_, i_ < s_.size() ? std::string("unexpected character '") + s_[i_] +
                                      "' where a variable name was expected"
                                 : "missing variable name");
    if (i_ >= s_.size() || s_[i_] == '\n') {
      // A bare name takes its value from the environment, if any.
      if (lookup_)
        if (auto value = lookup_(key)) set(key, *value);
      return;
    }
    if (s_[i_] != '=' && s_[i_] != ':') {
      if (is_key_char(s_[i_])) fail(i_, "variable name \"" + key + "\" cannot contain a space");
      fail(i_, std::string("unexpected character '") + s_[i_] + "' in variable name \"" + key +
                      "\"");
    }
    ++i_;
    skip_blanks();
    std::string value;
    if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'')) value = quoted(key);
    else value = unquoted(key);
    set(key, std::move(value));
  }

  std::string unquoted(const std::string& key) {
    const std::size_t begin = i_;
    std::size_t end = begin;
    while (end < s_.size() && s_[end] != '\n') {
      // `#` starts a comment only after whitespace inside the value, so
      // `a#b` and `#x` stay values (like compose-go, which cuts at " #").
      if (s_[end] == '#' && end > begin && is_blank(s_[end - 1])) break;
      ++end;
    }
    std::size_t stop = end;
    while (end < s_.size() && s_[end] != '\n') ++end;
    i_ = end;
    while (stop > begin && is_blank(s_[stop - 1])) --stop;
    return expand(s_.substr(begin, stop - begin), begin, key);
  }

  std::string quoted(const std::string& key) {
    const char quote = s_[i_];
    const std::size_t open = i_++;
    std::string raw;
    bool closed = false;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '\\' && i_ + 1 < s_.size() && (quote == '"' || s_[i_ + 1] == '\'')) {
        if (quote == '\'') {
          raw += "\\'";  // \' does not end a single-quoted value, and stays as written
        } else {
          switch (s_[i_ + 1]) {
            case 'n': raw += '\n'; break;
            case 't': raw += '\t'; break;
            case 'r': raw += '\r'; break;
            case '"': raw += '"'; break;
            case '\\': raw += '\\'; break;
            case '\'': raw += '\''; break;
            case '$': raw += "$$"; break;  // kept literal through interpolation
            default: raw += '\\'; raw += s_[i_ + 1]; break;
          }
        }
        i_ += 2;
        continue;
      }
      if (c == quote) {
        closed = true;
        ++i_;
        break;
      }
      raw += c;
      ++i_;
    }
    if (!closed) fail(open, std::string("unterminated quoted value (missing closing ") + quote + ")");
    skip_blanks();
    if (i_ < s_.size() && s_[i_] == '#') {
      while (i_ < s_.size() && s_[i_] != '\n') ++i_;
    } else if (i_ < s_.size() && s_[i_] != '\n') {
      fail(i_, std::string("unexpected text after the closing quote: '") + s_[i_] + "'");
    }
    if (quote == '\'') return raw;
    return expand(raw, open, key);
  }

  std::string expand(std::string_view text, std::size_t pos, const std::string& key) {
    if (text.find('$') == std::string_view::npos) return std::string(text);
    const VariableLookup lookup = [this](const std::string& name) -> std::optional<std::string> {
      if (lookup_)
        if (auto v = lookup_(name)) return v;
      if (auto it = index_.find(name); it != index_.end()) return result_[it->second].second;
      if (fallback_) return fallback_(name);
      return std::nullopt;
    };
    return interpolate_string(text, lookup, key, mark_at(pos), nullptr).text;
  }

  void set(const std::string& key, std::string value) {
    auto [it, inserted] = index_.emplace(key, result_.size());
    if (inserted) result_.emplace_back(key, std::move(value));
    else result_[it->second].second = std::move(value);
  }

  std::string_view s_;
  const std::string& file_;
  const DotenvLookup& lookup_;
  const DotenvLookup& fallback_;
  std::size_t i_ = 0;
  std::vector<std::pair<std::string, std::string>> result_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_dotenv(std::string_view content,
                                                              const std::string& file_name,
                                                              const DotenvLookup& lookup,
                                                              const DotenvLookup& fallback) {
  return DotenvParser(content, file_name, lookup, fallback).parse();
}

std::vector<std::pair<std::string, std::string>> read_dotenv_file(const std::string& path,
                                                                  const DotenvLookup& lookup,
                                                                  const DotenvLookup& fallback) {
  return parse_dotenv(read_text_file(path), path, lookup, fallback);
}

}  // namespace berth::loader
