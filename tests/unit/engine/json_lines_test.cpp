#include <catch2/catch.hpp>

#include "engine/json_lines.h"

using berth::engine::JsonLineSplitter;

TEST_CASE("JSON lines: every split point gives the same lines", "[engine][json_lines]") {
  struct Case {
    const char* name;
    std::string stream;
    std::vector<std::string> lines;
  };
  const std::vector<Case> cases = {
      {"LF", "{\"a\":1}\n{\"b\":2}\n", {"{\"a\":1}", "{\"b\":2}"}},
      {"CRLF (progress streams)", "{\"status\":\"x\"}\r\n{\"status\":\"y\"}\r\n",
       {"{\"status\":\"x\"}", "{\"status\":\"y\"}"}},
      {"blank lines skipped", "\n\r\n{\"a\":1}\n  \n", {"{\"a\":1}"}},
      {"last line without newline", "{\"a\":1}\n{\"b\":2}", {"{\"a\":1}", "{\"b\":2}"}},
      {"empty", "", {}},
  };
  for (const auto& c : cases) {
    for (size_t split = 0; split <= c.stream.size(); ++split) {
      INFO(c.name << ", split at " << split);
      JsonLineSplitter splitter;
      std::vector<std::string> lines;
      auto sink = [&](std::string_view line) { lines.emplace_back(line); };
      splitter.feed(std::string_view(c.stream).substr(0, split), sink);
      splitter.feed(std::string_view(c.stream).substr(split), sink);
      splitter.finish(sink);
      CHECK(lines == c.lines);
    }
  }
}

TEST_CASE("JSON lines: byte by byte", "[engine][json_lines]") {
  std::string stream = "{\"id\":\"a\"}\r\n{\"id\":\"b\"}\r\n{\"id\":\"c\"}";
  JsonLineSplitter splitter;
  std::vector<std::string> lines;
  auto sink = [&](std::string_view line) { lines.emplace_back(line); };
  for (char c : stream) splitter.feed(std::string_view(&c, 1), sink);
  CHECK(lines.size() == 2);
  splitter.finish(sink);
  CHECK(lines == std::vector<std::string>{"{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}"});
}
