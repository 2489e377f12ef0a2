#pragma once
#include <string>
#include <string_view>

namespace berth {

// Lowercase hex sha256 of the bytes.
std::string sha256_hex(std::string_view data);

}  // namespace berth
