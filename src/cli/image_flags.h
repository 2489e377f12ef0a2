#pragma once
// --build, --no-build, --pull and --quiet-pull, shared by up, create and run.
#include <string>

#include "berth/exec/images.h"

namespace CLI {
class App;
}

namespace berth::cli {

struct ImageFlags {
  bool build = false;
  bool no_build = false;
  std::string pull;
  bool quiet_pull = false;
};

void add_image_flags(CLI::App& command, ImageFlags& flags);

// Throws ErrorKind::Usage for --build with --no-build.
exec::ImageOptions to_image_options(const ImageFlags& flags);

}  // namespace berth::cli
