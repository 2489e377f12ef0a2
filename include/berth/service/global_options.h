#pragma once
// The global flags every command sees, parsed once by the CLI and handed to
// every service call.
#include <string>

#include "berth/loader/project_options.h"

namespace berth::service {

struct GlobalOptions {
  loader::ProjectOptions project;
  std::string progress = "auto";  // --progress auto|tty|plain|json|quiet (COMPOSE_PROGRESS)
  std::string ansi = "auto";      // --ansi never|always|auto (COMPOSE_ANSI)
  int parallel = -1;              // --parallel (COMPOSE_PARALLEL_LIMIT); -1 = unlimited
  bool dry_run = false;           // --dry-run
  bool compatibility = false;     // --compatibility
  std::string security;           // --security (BERTH_SECURITY): compat|standard|strict; "" = from the project
};

}  // namespace berth::service
