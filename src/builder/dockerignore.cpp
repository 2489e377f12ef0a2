#include "berth/builder/dockerignore.h"

#include <cstdint>

#include "berth/util/error.h"
#include "berth/util/strings.h"

namespace berth::builder {
namespace {


// Go's filepath.Clean on a "/"-separated path.
std::string clean_path(std::string_view path) {
  const bool rooted = !path.empty() && path.front() == '/';
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    auto part = path.substr(start, slash - start);
    start = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!rooted) parts.push_back(part);
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

}  // namespace

std::vector<std::string> parse_dockerignore(std::string_view text) {
  std::vector<std::string> patterns;
  bool first = true;
  while (!text.empty()) {
    auto newline = text.find('\n');
    auto line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (first && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // UTF-8 byte order mark
    first = false;
    if (line.starts_with('#')) continue;
    line = trim(line);
    if (line.empty()) continue;
    const bool exception = line.front() == '!';
    if (exception) line = trim(line.substr(1));
    std::string pattern;
    if (!line.empty()) {
      pattern = clean_path(line);
      if (pattern.size() > 1 && pattern.front() == '/') pattern.erase(0, 1);
    }
    patterns.push_back(exception ? "!" + pattern : pattern);
  }
  IgnoreMatcher check(patterns);  // malformed patterns fail here, not halfway through a walk
  return patterns;
}

IgnoreMatcher::IgnoreMatcher(const std::vector<std::string>& patterns) {
  for (const auto& text : patterns) {
    const bool exception = text.starts_with('!');
    auto pattern = compile(exception ? text.substr(1) : text);
    pattern.exception = exception;
    has_exceptions_ = has_exceptions_ || exception;
    patterns_.push_back(std::move(pattern));
  }
}

IgnoreMatcher::Pattern IgnoreMatcher::compile(const std::string& text) {
  Pattern pattern;
  pattern.text = text;
  auto bad = [&] { return Error(ErrorKind::Config, ".dockerignore: malformed pattern \"" + text + "\""); };
  for (size_t i = 0; i < text.size();) {
    char c = text[i++];
    Token token;
    token.kind = Token::Literal;
    if (c == '*') {
      if (i < text.size() && text[i] == '*') {
        ++i;
        if (i < text.size() && text[i] == '/') ++i;  // "**/" is "**"
        token.kind = i == text.size() ? Token::Rest : Token::AnyDirs;
      } else {
        token.kind = Token::Star;
      }
    } else if (c == '?') {
      token.kind = Token::AnyOne;
    } else if (c == '\\') {
      token.literal = i < text.size() ? text[i++] : '\\';
    } else if (c == '[') {
      token.kind = Token::Class;
      if (i < text.size() && text[i] == '^') {
        token.negated = true;
        ++i;
      }
      bool closed = false;
      while (i < text.size()) {
        char first = text[i++];
        if (first == ']') {
          if (token.ranges.empty()) throw bad();  // "[]" is malformed for filepath.Match
          closed = true;
          break;
        }
        if (first == '-' && token.ranges.empty()) throw bad();
        if (first == '\\') {
          if (i == text.size()) throw bad();
          first = text[i++];
        }
        char last = first;
        if (i + 1 < text.size() && text[i] == '-' && text[i + 1] != ']') {
          last = text[i + 1];
          i += 2;
          if (last == '\\') {
            if (i == text.size()) throw bad();
            last = text[i++];
          }
          if (last < first) throw bad();
        }
        token.ranges.emplace_back(first, last);
      }
      if (!closed) throw bad();
    } else {
      token.literal = c;
    }
    pattern.tokens.push_back(std::move(token));
  }
  return pattern;
}

bool IgnoreMatcher::matches(const Pattern& pattern, std::string_view path) {
  const auto& tokens = pattern.tokens;
  const size_t width = path.size() + 1;
  // memo[t * width + p]: 0 unknown, 1 no, 2 yes: tokens[t..] against path[p..].
  thread_local std::vector<std::uint8_t> memo;
  memo.assign((tokens.size() + 1) * width, 0);
  auto match = [&](auto& self, size_t t, size_t p) -> bool {
    auto& seen = memo[t * width + p];
    if (seen) return seen == 2;
    bool result = false;
    if (t == tokens.size()) {
      result = p == path.size();
    } else {
      const auto& token = tokens[t];
      switch (token.kind) {
        case Token::Literal:
          result = p < path.size() && path[p] == token.literal && self(self, t + 1, p + 1);
          break;
        case Token::AnyOne:
          result = p < path.size() && path[p] != '/' && self(self, t + 1, p + 1);
          break;
        case Token::Class:
          if (p < path.size()) {
            bool in = false;
            for (auto [lo, hi] : token.ranges) in = in || (path[p] >= lo && path[p] <= hi);
            result = in != token.negated && self(self, t + 1, p + 1);
          }
          break;
        case Token::Star:
          for (size_t q = p;; ++q) {
            if (self(self, t + 1, q)) {
              result = true;
              break;
            }
            if (q == path.size() || path[q] == '/') break;
          }
          break;
        case Token::AnyDirs:
          // Nothing, or anything up to and including a "/".
          result = self(self, t + 1, p);
          for (size_t q = p; !result && q < path.size(); ++q)
            if (path[q] == '/') result = self(self, t + 1, q + 1);
          break;
        case Token::Rest:
          result = true;
          break;
      }
    }
    seen = result ? 2 : 1;
    return result;
  };
  return match(match, 0, 0);
}

bool IgnoreMatcher::excluded(std::string_view path) const {
  bool excluded = false;
  for (const auto& pattern : patterns_) {
    // Only a pattern that could change the answer needs a look.
    if (pattern.exception != excluded) continue;
    bool match = matches(pattern, path);
    // A pattern that matches a parent directory matches what is inside it.
    for (size_t slash = path.find('/'); !match && slash != std::string_view::npos; slash = path.find('/', slash + 1))
      match = matches(pattern, path.substr(0, slash));
    if (match) excluded = !pattern.exception;
  }
  return excluded;
}

bool IgnoreMatcher::may_reinclude_below(std::string_view dir) const {
  std::string dir_slash = std::string(dir) + "/";
  for (const auto& pattern : patterns_)
    if (pattern.exception && (pattern.text + "/").starts_with(dir_slash)) return true;
  return false;
}

}  // namespace berth::builder
