#include <catch2/catch.hpp>

#include "berth/builder/dockerignore.h"
#include "berth/util/error.h"

using berth::builder::IgnoreMatcher;
using berth::builder::parse_dockerignore;

namespace {

bool excluded(const std::string& dockerignore, const std::string& path) {
  return IgnoreMatcher(parse_dockerignore(dockerignore)).excluded(path);
}

}  // namespace

TEST_CASE("dockerignore: lines are cleaned as the Docker CLI reads them", "[exec][dockerignore]") {
  using V = std::vector<std::string>;
  CHECK(parse_dockerignore("# comment\n\n  *.log  \n") == V{"*.log"});
  CHECK(parse_dockerignore("\xEF\xBB\xBF" "a\r\nb\r\n") == V{"a", "b"});  // BOM, CRLF
  CHECK(parse_dockerignore("/abs\n./rel\nx/../y\na//b/\n") == V{"abs", "rel", "y", "a/b"});
  CHECK(parse_dockerignore("! keep \n!/root\n") == V{"!keep", "!root"});
  // Only a "#" in the first column starts a comment.
  CHECK(parse_dockerignore("  # not a comment\n") == V{"# not a comment"});
  CHECK_THROWS_AS(parse_dockerignore("[a-\n"), berth::Error);
  CHECK_THROWS_AS(parse_dockerignore("file[\n"), berth::Error);
}

TEST_CASE("dockerignore: the documented pattern table", "[exec][dockerignore]") {
  struct Case {
    const char* patterns;
    const char* path;
    bool excluded;
  };
  // From the .dockerignore section of Docker's build documentation, plus the
  // rules of Go's filepath.Match that it builds on.
  const Case cases[] = {
      {"*/temp*", "somedir/temporary.txt", true},
      {"*/temp*", "somedir/temp", true},
      {"*/temp*", "temporary.txt", false},
      {"*/temp*", "a/b/temporary.txt", false},
      {"*/*/temp*", "somedir/subdir/temporary.txt", true},
      {"*/*/temp*", "somedir/temporary.txt", false},
      {"temp?", "tempa", true},
      {"temp?", "temp", false},
      {"temp?", "tempab", false},
      {"temp?", "temp/", false},
      {"**/*.go", "main.go", true},
      {"**/*.go", "cmd/tool/main.go", true},
      {"**/*.go", "main.gox", false},
      {"*.md\n!README.md", "README.md", false},
      {"*.md\n!README.md", "CHANGES.md", true},
      {"*.md\n!README*.md\nREADME-secret.md", "README-secret.md", true},
      {"*.md\n!README*.md\nREADME-secret.md", "README-public.md", false},
      {"*.md\nREADME-secret.md\n!README*.md", "README-secret.md", false},
      // "*" and "?" never cross "/"; a pattern matching a directory matches what is inside.
      {"*.txt", "a.txt", true},
      {"*.txt", "dir/a.txt", false},
      {"*", "dir/a.txt", true},
      {"dir", "dir/sub/file", true},
      {"dir/", "dir/file", true},
      {"dir", "dirt/file", false},
      {"/dir/file", "dir/file", true},
      {"./dir/*", "dir/file", true},
      // "**": any number of directories, including none; at the end, everything below.
      {"**", "a/b/c", true},
      {"a/**", "a/b/c", true},
      {"a/**", "b/a", false},
      {"a/**/b", "a/b", true},
      {"a/**/b", "a/x/y/b", true},
      {"a/**/b", "a/x/y/bc", false},
      {"**/node_modules", "web/node_modules/x/index.js", true},
      // classes and escapes
      {"[a-c].txt", "b.txt", true},
      {"[a-c].txt", "d.txt", false},
      {"[^a-c].txt", "d.txt", true},
      {"[^a-c].txt", "a.txt", false},
      {"\\*.txt", "*.txt", true},
      {"\\*.txt", "a.txt", false},
      {"file.txt", "file_txt", false},  // "." is literal
      // exceptions, last match wins
      {"secret\n!secret/keep.txt", "secret/keep.txt", false},
      {"secret\n!secret/keep.txt", "secret/other.txt", true},
      {"!a.txt\na.txt", "a.txt", true},
      {"*.log\n!important.log\n*.log", "important.log", true},
      {"", "anything", false},
  };
  for (const auto& c : cases) {
    INFO("patterns: " << c.patterns << "  path: " << c.path);
    CHECK(excluded(c.patterns, c.path) == c.excluded);
  }
}

TEST_CASE("dockerignore: an excluded directory is entered only for an exception below it", "[exec][dockerignore]") {
  IgnoreMatcher with_exception(parse_dockerignore("secret\n!secret/keep.txt\n"));
  CHECK(with_exception.has_exceptions());
  CHECK(with_exception.may_reinclude_below("secret"));
  CHECK_FALSE(with_exception.may_reinclude_below("other"));
  // Docker compares the exception's text with the directory: a wildcard
  // exception does not open an excluded directory.
  IgnoreMatcher wildcard(parse_dockerignore("secret\n!*/keep.txt\n"));
  CHECK_FALSE(wildcard.may_reinclude_below("secret"));
  IgnoreMatcher none(parse_dockerignore("secret\n"));
  CHECK_FALSE(none.has_exceptions());
}
