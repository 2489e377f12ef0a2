#pragma once
// A JSON-Schema "pattern" (ECMAScript regex, unanchored search) compiled once.
// The shapes the compose schema uses on every key ("^x-", "^[a-zA-Z0-9._-]+$",
// "^.+$", ".+") are matched by plain code: std::regex would dominate the
// validation time of a large project. Anything else falls back to std::regex.
#include <bitset>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace berth::schema::detail {

class PatternMatcher {
 public:
  // Throws std::regex_error when the pattern needs std::regex and does not
  // compile; with `lazy`, std::regex compiles it (and throws) on first use.
  explicit PatternMatcher(std::string pattern, bool lazy = false);

  bool matches(std::string_view text) const;
  const std::string& source() const { return source_; }
  // True when matching needs no std::regex (for tests).
  bool is_fast() const { return kind_ != Kind::Regex; }

 private:
  enum class Kind {
    Always,            // "", ".*", "^.*"
    Prefix,            // "^literal"
    Exact,             // "^literal$"
    Contains,          // "literal"
    CharClassRun,      // "^[class]+$" or "^[class]*$"
    LineNonEmpty,      // "^.+$": non-empty, no line terminator
    HasNonTerminator,  // ".+": some character that is not a line terminator
    Regex,
  };
  bool parse_fast_form();

  std::string source_;
  Kind kind_ = Kind::Regex;
  std::string literal_;
  std::bitset<256> char_class_;
  bool allow_empty_run_ = false;
  // Shared by copies; compiled once, by whichever thread matches first.
  struct Regex {
    std::once_flag compiled;
    std::optional<std::regex> regex;
  };
  const std::regex& regex() const;
  std::shared_ptr<Regex> regex_;
};

}  // namespace berth::schema::detail
