#include "berth/model/json_object.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using berth::model::json_object;
using nlohmann::json;

TEST_CASE("json_object builds the object nlohmann's initializer list would", "[json_object]") {
  const json inner = json::array({1, 2});
  CHECK(json_object({{"mode", "ingress"}, {"target", 80}, {"required", true}, {"list", inner}}) ==
        json{{"mode", "ingress"}, {"target", 80}, {"required", true}, {"list", inner}});
  CHECK(json_object({}) == json::object());
  CHECK(json_object({{"a", nullptr}}) == json{{"a", nullptr}});
  // A repeated key keeps the last value, as assigning member by member would.
  CHECK(json_object({{"a", 1}, {"a", 2}}) == json{{"a", 2}});
}
