#include "berth/util/rfc3339.h"

#include <catch2/catch.hpp>
#include <limits>

using berth::parse_rfc3339;

TEST_CASE("RFC 3339 dates as the engine writes them", "[util][rfc3339]") {
  CHECK(parse_rfc3339("1970-01-01T00:00:01Z") == 1000000000);
  CHECK(parse_rfc3339("2024-01-02T03:04:05.5Z") == 1704164645500000000);
  CHECK(parse_rfc3339("2024-01-02T12:04:05+09:00") == 1704164645000000000);
  CHECK(parse_rfc3339("0001-01-01T00:00:00Z") == std::numeric_limits<std::int64_t>::min());
  CHECK_FALSE(parse_rfc3339("yesterday"));
  CHECK_FALSE(parse_rfc3339("2024-13-02T03:04:05Z"));
}
