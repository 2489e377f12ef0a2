#pragma once
// Flags more than one command has: --build, --no-build, --pull,
// --quiet-pull and --quiet-build (up, create, run); --force-recreate/--no-recreate (up,
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
  bool quiet_build = false;
};

void add_image_flags(CLI::App& command, ImageFlags& flags);

// Throws ErrorKind::Usage for --build with --no-build.
service::ImageOptions to_image_options(const ImageFlags& flags);

// -y/--yes (up, create): docker compose asks before recreating a volume
// whose configuration changed; berth never asks (nor deletes a volume's
// data outside `down -v`), so the flag has nothing to answer.
void add_assume_yes_flag(CLI::App& command);

// Throws ErrorKind::Usage for --force-recreate with --no-recreate.
plan::Recreate recreate_policy(bool force_recreate, bool no_recreate);

// Throws a usage error for anything but SERVICE=N with N a whole number >= 0.
std::map<std::string, int> parse_scale_arguments(const std::vector<std::string>& arguments);

}  // namespace berth::cli
