#pragma once
// Flags more than one command has: --build, --no-build, --pull and
// --quiet-pull (up, create, run); --force-recreate/--no-recreate (up,
// create); SERVICE=N (up --scale, scale).
#include <map>
#include <string>
#include <vector>

#include "berth/service/lifecycle.h"

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
service::ImageOptions to_image_options(const ImageFlags& flags);

// Throws ErrorKind::Usage for --force-recreate with --no-recreate.
plan::Recreate recreate_policy(bool force_recreate, bool no_recreate);

// Throws a usage error for anything but SERVICE=N with N a whole number >= 0.
std::map<std::string, int> parse_scale_arguments(const std::vector<std::string>& arguments);

}  // namespace berth::cli
