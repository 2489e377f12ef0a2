#pragma once
// `berth init`: writes a secure container set-up for the application in a
// directory (the anchor is `docker init`, without its questions: what it
// detects and the flags decide).
#include <string>

namespace berth::service {

struct InitOptions {
  std::string directory = ".";
  std::string entry;       // the script that starts the app; "" = guessed
  std::string base_image;  // "" = the kind's default
  int port = 0;            // 0 = the kind's default
  bool force = false;      // overwrite files that exist
  bool dry_run = false;    // say what would be written
};
void init(const InitOptions& options);

}  // namespace berth::service
