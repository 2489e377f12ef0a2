#pragma once
// What `berth init` recognises in a project directory: the kind of
// application and the few facts its templates need.
#include <filesystem>
#include <string>
#include <vector>

namespace berth::init {

enum class AppKind {
  Python,  // requirements.txt, pyproject.toml, setup.py, or a known entry script
  Static,  // index.html and no Python
};

const char* to_string(AppKind kind);  // "Python app", "static site"

struct Detection {
  AppKind kind = AppKind::Python;
  // Python: the script the container starts (app.py, main.py, manage.py...),
  // relative to the project directory; static: "index.html".
  std::string entry;
  bool requirements_txt = false;
  bool pyproject_toml = false;
  std::vector<std::string> evidence;  // the files that decided, for the message
};

// Looks at the files directly in `dir`. `entry` (may be empty) overrides the
// guessed Python entry script and must exist. Throws berth::Error (Usage)
// saying what it looked for when nothing is recognised.
Detection detect(const std::filesystem::path& dir, const std::string& entry = "");

}  // namespace berth::init
