#pragma once
// Byte sizes and durations as compose writes them.
#include <cstdint>
#include <optional>
#include <string>

namespace berth::model {

// "1g", "512m", "1.5GB", "100k", "1024", "2b" (case-insensitive, binary
// multiples as docker's units.RAMInBytes) -> bytes; nullopt if invalid.
std::optional<int64_t> parse_bytes(const std::string& text);

// Go duration syntax "1m30s", "90s", "1.5h", "100ms", "0" -> nanoseconds;
// nullopt if invalid.
std::optional<int64_t> parse_duration(const std::string& text);
// Nanoseconds -> Go's time.Duration.String(): "1m30s", "1h0m0s", "100ms", "0s".
std::string format_duration(int64_t nanoseconds);

}  // namespace berth::model
