#include <catch2/catch.hpp>

#include "engine/chunked_decoder.h"
#include "berth/util/error.h"

using berth::Error;
using berth::engine::ChunkedDecoder;

namespace {

struct Decoded {
  std::string payload;
  size_t consumed = 0;
  bool done = false;
};

// Feeds `input` in two pieces split at `split`.
Decoded decode_split(const std::string& input, size_t split) {
  ChunkedDecoder decoder;
  Decoded result;
  std::string_view view(input);
  result.consumed = decoder.feed(view.substr(0, split), result.payload);
  if (!decoder.done()) result.consumed += decoder.feed(view.substr(split), result.payload);
  result.done = decoder.done();
  return result;
}

}  // namespace

TEST_CASE("chunked decoder: every split point of valid bodies", "[engine][chunked]") {
  struct Case {
    const char* name;
    std::string body;
    std::string payload;
  };
  const std::vector<Case> cases = {
      {"two chunks", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world"},
      {"hex sizes, upper and lower case", "a\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\n\r\n",
       "0123456789abcdefghijk"},
      {"chunk extensions", "3;name=value\r\nabc\r\n0;last\r\n\r\n", "abc"},
      {"trailers", "2\r\nok\r\n0\r\nX-Trailer: yes\r\nOther: 1\r\n\r\n", "ok"},
      {"empty body", "0\r\n\r\n", ""},
      {"binary payload with CRLF inside", std::string("4\r\n\r\n\0\x01\r\n0\r\n\r\n", 14),
       std::string("\r\n\0\x01", 4)},
      {"bare LF line ends", "3\nabc\n0\n\n", "abc"},
  };
  for (const auto& c : cases) {
    for (size_t split = 0; split <= c.body.size(); ++split) {
      INFO(c.name << ", split at " << split);
      auto result = decode_split(c.body, split);
      CHECK(result.done);
      CHECK(result.payload == c.payload);
      CHECK(result.consumed == c.body.size());
    }
  }
}

TEST_CASE("chunked decoder: byte by byte, and bytes after the end stay unconsumed", "[engine][chunked]") {
  std::string body = "4\r\nabcd\r\n0\r\n\r\nHTTP/1.1 200 OK";
  ChunkedDecoder decoder;
  std::string payload;
  size_t consumed = 0;
  for (char c : body) {
    if (decoder.done()) break;
    consumed += decoder.feed(std::string_view(&c, 1), payload);
  }
  CHECK(decoder.done());
  CHECK(payload == "abcd");
  CHECK(consumed == body.size() - std::string("HTTP/1.1 200 OK").size());
}

TEST_CASE("chunked decoder: a body cut short is not done", "[engine][chunked]") {
  std::string body = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  for (size_t cut = 0; cut < body.size(); ++cut) {
    INFO("cut at " << cut);
    ChunkedDecoder decoder;
    std::string payload;
    decoder.feed(std::string_view(body).substr(0, cut), payload);
    CHECK_FALSE(decoder.done());
  }
}

TEST_CASE("chunked decoder: malformed framing is an error", "[engine][chunked]") {
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"no size", "\r\nabc\r\n"},
      {"non-hex size", "zz\r\nabc\r\n"},
      {"data longer than its size", "2\r\nabc\r\n0\r\n\r\n"},
      {"huge size", "ffffffffffffffffff\r\n"},
      {"garbage after the last chunk line", "0\r\n\rX"},
  };
  for (const auto& [name, body] : cases) {
    INFO(name);
    ChunkedDecoder decoder;
    std::string payload;
    CHECK_THROWS_AS(decoder.feed(body, payload), Error);
  }
}
