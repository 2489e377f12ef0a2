#include <catch2/catch.hpp>

#include "berth/util/error.h"
#include "engine/http_exchange.h"
#include "fake_transport.h"

using berth::Error;
using berth::ErrorKind;
using namespace berth::engine;
using namespace berth::engine::testing;

namespace {

std::string read_body(CannedResponse response) {
  FakeConnection connection(std::move(response));
  BodyReader reader(connection, "GET");
  std::string body;
  while (reader.next(body)) {
  }
  return body;
}

}  // namespace

TEST_CASE("BodyReader: chunked body split at every point", "[engine][http]") {
  std::string wire = "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n";
  for (size_t split = 0; split <= wire.size(); ++split) {
    INFO("split at " << split);
    CHECK(read_body(chunked_response(200, {wire.substr(0, split), wire.substr(split)})) == "hello world");
  }
}

TEST_CASE("BodyReader: the three framings", "[engine][http]") {
  SECTION("Content-Length stops at the length") {
    CHECK(read_body(json_response(200, "{\"a\":1}")) == "{\"a\":1}");
  }
  SECTION("no length: until the connection closes") {
    CannedResponse r;
    r.head.status = 200;
    r.pieces = {"raw ", "stream"};
    CHECK(read_body(r) == "raw stream");
  }
  SECTION("204 and 304 have no body") {
    for (int status : {204, 304}) {
      CannedResponse r;
      r.head.status = status;
      r.pieces = {"ignored"};
      CHECK(read_body(r).empty());
    }
  }
}

TEST_CASE("BodyReader: a body cut short is an Io error, never a hang", "[engine][http]") {
  std::string wire = "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n";
  for (size_t cut = 0; cut < wire.size(); ++cut) {
    INFO("cut at " << cut);
    try {
      read_body(chunked_response(200, {wire.substr(0, cut)}));
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Io);
      CHECK_THAT(e.message(), Catch::Contains("in the middle of a response"));
    }
  }
  auto short_length = json_response(200, "{\"a\":1}");
  short_length.head.headers[1].value = "100";
  CHECK_THROWS_AS(read_body(short_length), Error);
}

TEST_CASE("open_stream turns an error status into a typed error", "[engine][http]") {
  FakeTransport transport;
  transport.responses.push_back(json_response(404, R"({"message":"No such image: x"})"));
  transport.responses.push_back(chunked_response(409, {"1c\r\n{\"message\":\"name in use\"}\r\n\r\n0\r\n\r\n"}));
  HttpRequest request;
  request.target = "/x";
  try {
    open_stream(transport, request, nullptr);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::NotFound);
    CHECK(e.message() == "No such image: x");
  }
  try {
    open_stream(transport, request, nullptr);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Conflict);
    CHECK(e.message() == "name in use");
  }
}

TEST_CASE("body_from_string sends the data in pieces", "[engine][http]") {
  struct Case {
    std::string data;
    size_t piece_size;
    size_t pieces;
  };
  const std::vector<Case> cases = {{"", 4, 1}, {"abc", 4, 1}, {"abcd", 4, 1}, {"abcde", 4, 2}, {"abcdefgh", 3, 3}};
  for (const auto& c : cases) {
    INFO(c.data << " / " << c.piece_size);
    auto source = body_from_string(c.data, c.piece_size);
    std::string joined, chunk;
    size_t calls = 0;
    bool more = true;
    while (more) {
      chunk.clear();
      more = source(chunk);
      CHECK(chunk.size() <= c.piece_size);
      joined += chunk;
      REQUIRE(++calls <= c.pieces);
    }
    CHECK(joined == c.data);
    CHECK(calls == c.pieces);
  }
}
