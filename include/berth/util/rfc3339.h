#pragma once
// RFC 3339 dates as the engine writes them ("2024-01-02T03:04:05.123456789Z",
// "2022-10-25T08:38:05.74+09:00", Go's zero time "0001-01-01T00:00:00Z").
#include <cstdint>
#include <optional>
#include <string>

namespace berth {

// Unix time in nanoseconds; also "2024-01-02" and "2024-01-02 03:04" forms.
// Without a zone the time is local, as the docker CLI reads it. Nullopt when
// `value` is not such a date. Dates outside 1678..2262 (Go's zero time
// "0001-01-01T00:00:00Z" among them) saturate to the int64 limits.
std::optional<std::int64_t> parse_rfc3339(const std::string& value);

}  // namespace berth
