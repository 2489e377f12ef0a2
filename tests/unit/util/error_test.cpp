#include <catch2/catch.hpp>

#include "berth/util/error.h"

using berth::Error;
using berth::ErrorKind;

TEST_CASE("Error joins its context outermost first") {
  Error e(ErrorKind::NotFound, "no such container: web");
  e.add_context("starting web-1").add_context("up");
  CHECK(std::string(e.what()) == "up: starting web-1: no such container: web");
  CHECK(e.message() == "no such container: web");
  CHECK(e.kind() == ErrorKind::NotFound);
}

TEST_CASE("SourceMark prints file:line:col only when known") {
  CHECK(berth::SourceMark{"compose.yaml", 3, 7}.to_string() == "compose.yaml:3:7");
  CHECK(berth::SourceMark{"compose.yaml", 0, 0}.to_string() == "compose.yaml");
}
