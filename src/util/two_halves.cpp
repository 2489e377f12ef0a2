#include "berth/util/two_halves.h"

#include <exception>
#include <future>
#include <system_error>

namespace berth {

void in_two_halves(std::size_t count, const std::function<void(std::size_t first, std::size_t last)>& work,
                   std::size_t min_count) {
  const std::size_t middle = count / 2;
  std::future<void> second_half;
  if (count >= min_count && middle > 0) {
    try {
      second_half = std::async(std::launch::async, work, middle, count);
    } catch (const std::system_error&) {
      // No thread to spare: done in turn below.
    }
  }
  if (!second_half.valid()) return work(0, count);
  std::exception_ptr first_error;
  try {
    work(0, middle);
  } catch (...) {
    first_error = std::current_exception();
  }
  second_half.wait();
  if (first_error) std::rethrow_exception(first_error);
  second_half.get();
}

}  // namespace berth
