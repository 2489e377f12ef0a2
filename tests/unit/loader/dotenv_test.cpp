#include "berth/loader/dotenv.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

using berth::loader::DotenvLookup;
using berth::loader::parse_dotenv;

namespace {

// Renders the parse result as "K=v|K2=v2" for compact expectations.
std::string render(const std::vector<std::pair<std::string, std::string>>& vars) {
  std::string out;
  for (const auto& [k, v] : vars) out += (out.empty() ? "" : "|") + k + "=" + v;
  return out;
}

const std::map<std::string, std::string> kProcess{{"HOME", "/home/me"}, {"SHELL_ONLY", "sh"}};

DotenvLookup process_lookup() {
  return [](const std::string& name) -> std::optional<std::string> {
    auto it = kProcess.find(name);
    if (it == kProcess.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("dotenv parses compose's syntax", "[loader][dotenv]") {
  struct Case {
    const char* text;
    const char* vars;
  };
  const std::vector<Case> cases{
      {"", ""},
      {"\n\n  \n", ""},
      {"# comment\n", ""},
      {"A=1", "A=1"},
      {"A=1\nB=2\n", "A=1|B=2"},
      {"A=1\r\nB=2\r\n", "A=1|B=2"},
      {"  A = spaced value  \n", "A=spaced value"},
      {"export A=1\n", "A=1"},
      {"export   A=1\n", "A=1"},
      {"exported=1\n", "exported=1"},
      {"A=x # comment\n", "A=x"},
      {"A=x#not-a-comment\n", "A=x#not-a-comment"},
      {"A=#start\n", "A=#start"},
      {"A= # not a comment either\n", "A=# not a comment either"},
      {"A=x\t# tab before\n", "A=x"},
      {"A=\n", "A="},
      {"A='single $HOME \\n'\n", "A=single $HOME \\n"},
      {"A='it\\'s'\n", "A=it\\'s"},
      {"A=\"double $HOME\"\n", "A=double /home/me"},
      {"A=\"tab\\there\"\n", "A=tab\there"},
      {"A=\"line\\nbreak\"\n", "A=line\nbreak"},
      {"A=\"q\\\"uote\"\n", "A=q\"uote"},
      {"A=\"back\\\\slash\"\n", "A=back\\slash"},
      {"A=\"cost \\$5 and \\$HOME\"\n", "A=cost $5 and $HOME"},
      {"A=\"multi\nline\nvalue\"\nB=2\n", "A=multi\nline\nvalue|B=2"},
      {"A=\"x\" # comment\n", "A=x"},
      {"A=\"  padded  \"\n", "A=  padded  "},
      {"A=1\nB=${A}2\n", "A=1|B=12"},
      {"A=1\nB=\"$A-${A}\"\n", "A=1|B=1-1"},
      {"B=${LATER}\nLATER=1\n", "B=|LATER=1"},
      {"A=${UNSET:-fallback}\n", "A=fallback"},
      {"A=$$literal\n", "A=$literal"},
      {"HOME=override\nB=$HOME\n", "HOME=override|B=/home/me"},  // the process env wins
      {"SHELL_ONLY\n", "SHELL_ONLY=sh"},
      {"NOT_ANYWHERE\n", ""},
      {"export SHELL_ONLY\n", "SHELL_ONLY=sh"},
      {"A=1\nA=2\n", "A=2"},
      {"A: yaml style\n", "A=yaml style"},
      {"dotted.name=1\n", "dotted.name=1"},
      {"A=a=b=c\n", "A=a=b=c"},
      {"A=url?x=1&y=2\n", "A=url?x=1&y=2"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(render(parse_dotenv(c.text, ".env", process_lookup())) == c.vars);
  }
}

TEST_CASE("dotenv errors name file:line", "[loader][dotenv]") {
  struct Case {
    const char* text;
    const char* message;
  };
  const std::vector<Case> cases{
      {"A=1\nB=\"open\n", "x/.env:2:3: unterminated quoted value (missing closing \")"},
      {"A='open\n\n", "x/.env:1:3: unterminated quoted value (missing closing ')"},
      {"\n\nMY KEY=1\n", "x/.env:3:4: variable name \"MY\" cannot contain a space"},
      {"A-B=1\n", "x/.env:1:2: unexpected character '-' in variable name \"A\""},
      {"A=\xff\n", "x/.env:1:3: invalid UTF-8 in env file (env files must be UTF-8 text)"},
      {"=value\n", "x/.env:1:1: unexpected character '=' where a variable name was expected"},
      {"A=\"x\" junk\n", "x/.env:1:7: unexpected text after the closing quote: 'j'"},
      {"A=${B:?B is required}\n", "x/.env:1:3: required variable B is missing a value: B is required"},
      {"A=1\nB=${oops\n",
       "x/.env:2:3: invalid interpolation format for B: \"${oops\"; you may need to escape any $ with another $"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK_THROWS_WITH(parse_dotenv(c.text, "x/.env", process_lookup()), c.message);
  }
}
