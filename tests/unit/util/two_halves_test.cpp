#include "berth/util/two_halves.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

using berth::in_two_halves;

TEST_CASE("in_two_halves covers every item once, in two ranges that meet", "[two_halves]") {
  for (std::size_t count : {0, 1, 63, 64, 65, 200, 1001}) {
    std::mutex mutex;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    std::vector<int> seen(count, 0);
    in_two_halves(count, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) ++seen[i];
      std::lock_guard lock(mutex);
      ranges.emplace_back(first, last);
    });
    INFO("count " << count);
    CHECK(std::count(seen.begin(), seen.end(), 1) == static_cast<long>(count));
    if (count < 64) {
      CHECK(ranges == std::vector<std::pair<std::size_t, std::size_t>>{{0, count}});
    } else {
      REQUIRE(ranges.size() == 2);
      std::sort(ranges.begin(), ranges.end());
      CHECK(ranges[0] == std::pair<std::size_t, std::size_t>{0, count / 2});
      CHECK(ranges[1] == std::pair<std::size_t, std::size_t>{count / 2, count});
    }
  }
}

TEST_CASE("in_two_halves runs the second half on another thread", "[two_halves]") {
  const auto caller = std::this_thread::get_id();
  std::thread::id first_thread, second_thread;
  in_two_halves(100, [&](std::size_t first, std::size_t) {
    (first == 0 ? first_thread : second_thread) = std::this_thread::get_id();
  });
  CHECK(first_thread == caller);
  CHECK(second_thread != caller);
}

TEST_CASE("in_two_halves rethrows the error a walk in order would have met first", "[two_halves]") {
  auto fail_in = [](bool first_half, bool second_half) {
    in_two_halves(100, [&](std::size_t first, std::size_t) {
      if (first == 0 && first_half) throw std::runtime_error("first half");
      if (first != 0 && second_half) throw std::runtime_error("second half");
    });
  };
  CHECK_THROWS_WITH(fail_in(true, true), "first half");
  CHECK_THROWS_WITH(fail_in(false, true), "second half");
  CHECK_THROWS_WITH(fail_in(true, false), "first half");
  CHECK_NOTHROW(fail_in(false, false));
}
