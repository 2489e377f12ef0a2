#include <catch2/catch.hpp>
#include <limits>

#include "berth/util/whole_int64.h"

using berth::whole_int64;

TEST_CASE("whole_int64 truncates finite numbers within 64 bits and refuses the rest", "[util]") {
  CHECK(whole_int64(1.9) == 1);
  CHECK(whole_int64(-1.9) == -1);
  CHECK(whole_int64(-9223372036854775808.0) == std::numeric_limits<int64_t>::min());
  CHECK(whole_int64(9223372036854775808.0) == std::nullopt);
  CHECK(whole_int64(1e300) == std::nullopt);
  CHECK(whole_int64(-1e300) == std::nullopt);
  CHECK(whole_int64(std::numeric_limits<double>::infinity()) == std::nullopt);
  CHECK(whole_int64(std::numeric_limits<double>::quiet_NaN()) == std::nullopt);
}
