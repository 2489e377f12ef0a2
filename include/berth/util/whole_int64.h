#pragma once
// A number from a compose file or the engine as a whole int64.
#include <cmath>
#include <cstdint>
#include <optional>

namespace berth {

// `value` truncated toward zero; nullopt when it is not finite or beyond the
// 64-bit range, where a plain cast would be undefined behaviour.
inline std::optional<std::int64_t> whole_int64(double value) {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (!std::isfinite(value) || value >= kTwoTo63 || value < -kTwoTo63) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

}  // namespace berth
