#pragma once
// "web=3" arguments of `up --scale` and `scale`.
#include <map>
#include <string>
#include <vector>

namespace berth::model {
struct Project;
}

namespace berth::cli {

// Throws a usage error for anything but SERVICE=N with N a whole number >= 0.
std::map<std::string, int> parse_scale_arguments(const std::vector<std::string>& arguments);

// Throws a usage error naming the first --scale service the project does not have.
void check_scaled_services_exist(const model::Project& project, const std::map<std::string, int>& scale);

}  // namespace berth::cli
