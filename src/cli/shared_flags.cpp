#include "shared_flags.h"

#include <CLI/CLI.hpp>

#include "berth/util/error.h"

namespace berth::cli {

void add_image_flags(CLI::App& command, ImageFlags& flags) {
  command.add_flag("--build", flags.build, "Build images before starting containers");
  command.add_flag("--no-build", flags.no_build, "Don't build an image, even if it's policy");
  command.add_option("--pull", flags.pull, "Pull image before running (\"always\"|\"missing\"|\"never\"|\"build\")")
      ->check(CLI::IsMember({"always", "missing", "never", "build"}));
  command.add_flag("--quiet-pull", flags.quiet_pull, "Pull without printing progress information");
  command.add_flag("--quiet-build", flags.quiet_build, "Suppress the build output");
}

service::ImageOptions to_image_options(const ImageFlags& flags) {
  if (flags.build && flags.no_build) throw Error(ErrorKind::Usage, "--build and --no-build are incompatible");
  service::ImageOptions options;
  options.build = flags.build      ? service::ImageOptions::Build::Always
                  : flags.no_build ? service::ImageOptions::Build::Never
                                   : service::ImageOptions::Build::Policy;
  options.pull = flags.pull;
  options.quiet_pull = flags.quiet_pull;
  options.quiet_build = flags.quiet_build;
  return options;
}

void add_assume_yes_flag(CLI::App& command) {
  command.add_flag("-y,--yes")->description(
      "Assume \"yes\" as answer to all prompts and run non-interactively (berth never prompts)");
}

plan::Recreate recreate_policy(bool force_recreate, bool no_recreate) {
  if (force_recreate && no_recreate)
    throw Error(ErrorKind::Usage, "--force-recreate and --no-recreate are incompatible");
  return force_recreate ? plan::Recreate::Force : no_recreate ? plan::Recreate::Never : plan::Recreate::Diverged;
}

std::map<std::string, int> parse_scale_arguments(const std::vector<std::string>& arguments) {
  std::map<std::string, int> out;
  for (const auto& argument : arguments) {
    auto eq = argument.find('=');
    std::string service = eq == std::string::npos ? "" : argument.substr(0, eq);
    std::string count = eq == std::string::npos ? "" : argument.substr(eq + 1);
    bool digits =
        !count.empty() && count.size() <= 6 && count.find_first_not_of("0123456789") == std::string::npos;
    if (service.empty() || !digits)
      throw Error(ErrorKind::Usage, "invalid scale \"" + argument + "\": expected SERVICE=NUMBER, e.g. web=3");
    out[service] = std::stoi(count);
  }
  return out;
}

}  // namespace berth::cli
