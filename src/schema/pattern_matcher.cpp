#include "pattern_matcher.h"


namespace berth::schema::detail {
namespace {

bool is_regex_meta(char c) {
  return std::string_view(".^$*+?()[]{}|\\").find(c) != std::string_view::npos;
}

bool all_literal(std::string_view s) {
  for (char c : s) {
    if (is_regex_meta(c)) return false;
  }
  return true;
}

// "[a-zA-Z0-9._-]" without negation or escapes; nullopt for anything fancier.
std::optional<std::bitset<256>> parse_simple_class(std::string_view body) {
  if (body.empty() || body.front() == '^') return std::nullopt;
  std::bitset<256> set;
  for (std::size_t i = 0; i < body.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(body[i]);
    if (c == '\\' || c == '[' || c == ']' || c >= 0x80) return std::nullopt;
    bool is_range = i + 2 < body.size() && body[i + 1] == '-';
    if (is_range) {
      unsigned char last = static_cast<unsigned char>(body[i + 2]);
      if (last == '\\' || last == '[' || last == ']' || last >= 0x80 || last < c)
        return std::nullopt;
      for (unsigned v = c; v <= last; ++v) set.set(v);
      i += 2;
    } else {
      set.set(c);  // includes a '-' that is first or last
    }
  }
  return set;
}

// ECMAScript's "." matches anything but \n, \r, U+2028 and U+2029.
std::size_t terminator_length_at(std::string_view s, std::size_t i) {
  if (s[i] == '\n' || s[i] == '\r') return 1;
  if (static_cast<unsigned char>(s[i]) == 0xE2 && i + 2 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
       static_cast<unsigned char>(s[i + 2]) == 0xA9))
    return 3;
  return 0;
}

bool has_terminator(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (terminator_length_at(s, i)) return true;
  }
  return false;
}

bool has_non_terminator(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = terminator_length_at(s, i);
    if (n == 0) return true;
    i += n;
  }
  return false;
}

}  // namespace

PatternMatcher::PatternMatcher(std::string pattern, bool lazy) : source_(std::move(pattern)) {
  if (parse_fast_form()) return;
  kind_ = Kind::Regex;
  regex_ = std::make_shared<Regex>();
  if (!lazy) regex();
}

const std::regex& PatternMatcher::regex() const {
  // A throw leaves the flag unset: the next use tries (and throws) again.
  std::call_once(regex_->compiled, [this] { regex_->regex.emplace(source_, std::regex::ECMAScript); });
  return *regex_->regex;
}

bool PatternMatcher::parse_fast_form() {
  std::string_view p = source_;
  if (p.empty() || p == ".*" || p == "^.*") {
    kind_ = Kind::Always;
    return true;
  }
  if (p == "^.+$") {
    kind_ = Kind::LineNonEmpty;
    return true;
  }
  if (p == ".+" || p == ".") {
    kind_ = Kind::HasNonTerminator;
    return true;
  }
  bool anchored_start = p.front() == '^';
  if (anchored_start) p.remove_prefix(1);
  bool anchored_end = !p.empty() && p.back() == '$' && (p.size() < 2 || p[p.size() - 2] != '\\');
  if (anchored_end) p.remove_suffix(1);

  if (all_literal(p)) {
    literal_ = std::string(p);
    if (anchored_start && anchored_end)
      kind_ = Kind::Exact;
    else if (anchored_start)
      kind_ = Kind::Prefix;
    else if (!anchored_end)
      kind_ = Kind::Contains;
    else
      return false;
    return true;
  }
  if (anchored_start && anchored_end && p.size() >= 3 && p.front() == '[' &&
      (p.back() == '+' || p.back() == '*') && p[p.size() - 2] == ']') {
    auto set = parse_simple_class(p.substr(1, p.size() - 3));
    if (!set) return false;
    char_class_ = *set;
    allow_empty_run_ = p.back() == '*';
    kind_ = Kind::CharClassRun;
    return true;
  }
  return false;
}

bool PatternMatcher::matches(std::string_view text) const {
  switch (kind_) {
    case Kind::Always:
      return true;
    case Kind::Prefix:
      return text.substr(0, literal_.size()) == literal_;
    case Kind::Exact:
      return text == literal_;
    case Kind::Contains:
      return text.find(literal_) != std::string_view::npos;
    case Kind::CharClassRun:
      if (text.empty()) return allow_empty_run_;
      for (char c : text) {
        if (!char_class_.test(static_cast<unsigned char>(c))) return false;
      }
      return true;
    case Kind::LineNonEmpty:
      return !text.empty() && !has_terminator(text);
    case Kind::HasNonTerminator:
      return has_non_terminator(text);
    case Kind::Regex:
      return std::regex_search(text.begin(), text.end(), regex());
  }
  return false;
}

}  // namespace berth::schema::detail
