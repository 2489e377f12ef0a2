#include "parallel_each.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "berth/engine/cancel_token.h"
#include "session.h"

namespace berth::service {

void parallel_each(size_t n, int parallelism, const RunContext& ctx, engine::CancelToken& cancel,
                   const std::function<void(size_t)>& work) {
  if (n == 0) return;
  const size_t threads = parallelism <= 0 ? n : std::min(n, static_cast<size_t>(parallelism));
  std::atomic<size_t> next{0};
  std::atomic<size_t> running{threads};
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      for (size_t i; (i = next++) < n;) {
        if (cancel.cancelled()) break;
        work(i);
      }
      --running;
    });
  while (running > 0) {
    if (ctx.interrupted && ctx.interrupted()) cancel.cancel();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto& w : workers) w.join();
}

}  // namespace berth::service
