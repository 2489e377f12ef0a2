#pragma once
// "web=3" arguments of `up --scale` and `scale`.
#include <map>
#include <string>
#include <vector>

namespace berth::cli {

// Throws a usage error for anything but SERVICE=N with N a whole number >= 0.
std::map<std::string, int> parse_scale_arguments(const std::vector<std::string>& arguments);

}  // namespace berth::cli
