#pragma once
// Runs independent pieces of work (builds, pulls) on a few threads while the
// calling thread watches for Ctrl-C. Internal to service.
#include <cstddef>
#include <functional>

namespace berth::engine {
class CancelToken;
}

namespace berth::service {

struct RunContext;

// Runs `work(i)` for i in [0, n) on up to `parallelism` threads (<= 0: one
// per item). While they run, the calling thread polls ctx.interrupted and
// cancels `cancel` when it fires; items not started by then are skipped.
// `work` must not throw.
void parallel_each(size_t n, int parallelism, const RunContext& ctx, engine::CancelToken& cancel,
                   const std::function<void(size_t)>& work);

}  // namespace berth::service
