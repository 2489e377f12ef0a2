#include "cli/image_flags.h"

#include <CLI/CLI.hpp>

#include "berth/util/error.h"

namespace berth::cli {

void add_image_flags(CLI::App& command, ImageFlags& flags) {
  command.add_flag("--build", flags.build, "Build images before starting containers");
  command.add_flag("--no-build", flags.no_build, "Don't build an image, even if it's policy");
  command.add_option("--pull", flags.pull, "Pull image before running (\"always\"|\"missing\"|\"never\"|\"build\")")
      ->check(CLI::IsMember({"always", "missing", "never", "build"}));
  command.add_flag("--quiet-pull", flags.quiet_pull, "Pull without printing progress information");
}

exec::ImageOptions to_image_options(const ImageFlags& flags) {
  if (flags.build && flags.no_build) throw Error(ErrorKind::Usage, "--build and --no-build are incompatible");
  exec::ImageOptions options;
  options.build = flags.build      ? exec::ImageOptions::Build::Always
                  : flags.no_build ? exec::ImageOptions::Build::Never
                                   : exec::ImageOptions::Build::Policy;
  options.pull = flags.pull;
  options.quiet_pull = flags.quiet_pull;
  return options;
}

}  // namespace berth::cli
