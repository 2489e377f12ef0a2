#include <catch2/catch.hpp>
#include <regex>

#include "schema/pattern_matcher.h"

using berth::schema::detail::PatternMatcher;

// The hand-written matchers must agree with std::regex (ECMAScript search)
// on every pattern and input.
TEST_CASE("PatternMatcher's fast forms agree with std::regex", "[schema]") {
  struct Case {
    const char* pattern;
    bool fast;
  };
  const Case patterns[] = {
      {"^x-", true},
      {"^[a-zA-Z0-9._-]+$", true},
      {"^[a-z]+$", true},
      {"^[a-z]*$", true},
      {"^.+$", true},
      {".+", true},
      {".*", true},
      {"", true},
      {"^exact$", true},
      {"contains", true},
      {"[a-zA-Z0-9][a-zA-Z0-9_.-]+", false},
      {"always|never|build|every_([0-9]+[wdhms])+", false},
      {"^[^a]+$", false},
      {"^\\d+$", false},
  };
  const std::string inputs[] = {
      "",        "x-",      "x-foo",   "X-foo",    "web",   "web app", "web.1_a-b", "abc",
      "exact",   "exactly", "a\nb",    "\n",       "\r\n",  "é",       "aaa",       "contains!",
      "pre contains", "123",  "every_1d", "Web",   "a\xE2\x80\xA8",    "\xE2\x80\xA9",
  };
  for (const auto& p : patterns) {
    PatternMatcher matcher(p.pattern);
    CAPTURE(p.pattern);
    CHECK(matcher.is_fast() == p.fast);
    std::regex reference(p.pattern, std::regex::ECMAScript);
    for (const auto& input : inputs) {
      CAPTURE(input);
      bool expected = std::regex_search(input, reference);
      // std::regex knows nothing of UTF-8; U+2028/9 only count as line
      // terminators in our matcher, so skip them for the comparison.
      if (input.find("\xE2\x80") != std::string::npos) continue;
      CHECK(matcher.matches(input) == expected);
    }
  }
}

TEST_CASE("PatternMatcher treats U+2028 and U+2029 as line terminators", "[schema]") {
  CHECK_FALSE(PatternMatcher("^.+$").matches("a\xE2\x80\xA8"));
  CHECK_FALSE(PatternMatcher(".+").matches("\xE2\x80\xA9"));
  CHECK(PatternMatcher(".+").matches("\xE2\x80\xA9x"));
}

TEST_CASE("PatternMatcher rejects a pattern std::regex cannot compile", "[schema]") {
  CHECK_THROWS_AS(PatternMatcher("(unclosed"), std::regex_error);
}

TEST_CASE("PatternMatcher compiles a lazy regex on first use, once, for all its copies", "[schema]") {
  PatternMatcher lazy("always|every_([0-9]+[wdhms])+", true);
  const PatternMatcher copy = lazy;
  CHECK(lazy.matches("every_12h"));
  CHECK(copy.matches("always"));
  CHECK_FALSE(copy.matches("sometimes"));

  PatternMatcher broken("(unclosed", true);  // no throw yet
  CHECK_THROWS_AS(broken.matches("x"), std::regex_error);
  CHECK_THROWS_AS(broken.matches("x"), std::regex_error);
}
