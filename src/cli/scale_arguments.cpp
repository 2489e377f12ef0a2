#include "cli/scale_arguments.h"

#include "berth/model/project.h"
#include "berth/util/error.h"

namespace berth::cli {

std::map<std::string, int> parse_scale_arguments(const std::vector<std::string>& arguments) {
  std::map<std::string, int> out;
  for (const auto& argument : arguments) {
    auto eq = argument.find('=');
    std::string service = eq == std::string::npos ? "" : argument.substr(0, eq);
    std::string count = eq == std::string::npos ? "" : argument.substr(eq + 1);
    bool digits =
        !count.empty() && count.size() <= 6 && count.find_first_not_of("0123456789") == std::string::npos;
    if (service.empty() || !digits)
      throw Error(ErrorKind::Usage,
                  "invalid scale \"" + argument + "\": expected SERVICE=NUMBER, e.g. web=3");
    out[service] = std::stoi(count);
  }
  return out;
}

void check_scaled_services_exist(const model::Project& project, const std::map<std::string, int>& scale) {
  for (const auto& [service, _] : scale)
    if (!project.find_service(service)) throw Error(ErrorKind::Usage, "--scale: no such service: " + service);
}

}  // namespace berth::cli
