#pragma once
// Splits independent per-item work (services of a large project) over two
// cores: the loader, the policy and the output each walk every service.
#include <cstddef>
#include <functional>

namespace berth {

// Calls work(count / 2, count) on another thread and work(0, count / 2) on
// this one, then waits. Below `min_count` items (a thread costs more than it
// saves), or when no thread can be started, it is one call work(0, count).
// Exceptions are rethrown after both halves finished, the first half's
// first: the same error a walk in order would have stopped at.
void in_two_halves(std::size_t count, const std::function<void(std::size_t first, std::size_t last)>& work,
                   std::size_t min_count = 64);

}  // namespace berth
