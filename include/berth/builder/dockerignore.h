#pragma once
// .dockerignore: which files of a build context stay out of the archive sent
// to the engine, with the Docker CLI's semantics:
//
// - one pattern a line; a line whose first character is "#" is a comment;
//   surrounding white space is trimmed; blank lines are skipped;
// - "!" makes an exception: a later exception re-includes what earlier
//   patterns excluded, and the last pattern that matches a path decides;
// - patterns are cleaned like Go's filepath.Clean ("./a//b/" is "a/b") and a
//   leading "/" is dropped: patterns are relative to the context root;
// - "*" matches any run of characters except "/", "?" any one character
//   except "/", "[a-z]" / "[^a-z]" a class, "\" escapes the next character,
//   "**" any number of directories (including none), and a trailing "**"
//   everything below;
// - a pattern that matches a directory also matches everything below it.
#include <string>
#include <string_view>
#include <vector>

namespace berth::builder {

// The patterns of a .dockerignore text, cleaned, exceptions kept with their
// leading "!". Throws berth::Error (Config) for a malformed pattern
// (an unterminated "[" class).
std::vector<std::string> parse_dockerignore(std::string_view text);

class IgnoreMatcher {
 public:
  IgnoreMatcher() = default;
  explicit IgnoreMatcher(const std::vector<std::string>& patterns);

  // Whether `path` (relative to the context root, "/"-separated, no leading
  // "./") is left out of the context.
  bool excluded(std::string_view path) const;
  bool has_exceptions() const { return has_exceptions_; }
  // Whether an exception might re-include something below the excluded
  // directory `dir`, so the walk must still look inside it. Like Docker, this
  // compares the exception's literal text with the directory: "!dir/keep"
  // opens "dir", "!*/keep" does not.
  bool may_reinclude_below(std::string_view dir) const;
  bool empty() const { return patterns_.empty(); }

 private:
  struct Token {
    enum Kind { Literal, AnyOne, Star, AnyDirs, Rest, Class } kind = Literal;
    char literal = 0;
    bool negated = false;                      // Class
    std::vector<std::pair<char, char>> ranges;  // Class
  };
  struct Pattern {
    std::string text;  // cleaned, without "!"
    bool exception = false;
    std::vector<Token> tokens;
  };
  static Pattern compile(const std::string& text);
  static bool matches(const Pattern& pattern, std::string_view path);

  std::vector<Pattern> patterns_;
  bool has_exceptions_ = false;
};

}  // namespace berth::builder
