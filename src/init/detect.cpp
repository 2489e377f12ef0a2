#include "berth/init/detect.h"

#include <algorithm>

#include "berth/util/error.h"

namespace berth::init {
namespace fs = std::filesystem;

const char* to_string(AppKind kind) {
  switch (kind) {
    case AppKind::Python: return "Python app";
    case AppKind::Static: return "static site";
  }
  return "?";
}

namespace {

bool is_file(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  return fs::is_regular_file(dir / name, ec);
}

// The usual names of a Python application's start script, most telling
// first (manage.py means Django whatever else is there).
std::string guess_python_entry(const fs::path& dir) {
  for (const char* name : {"manage.py", "app.py", "main.py", "server.py", "wsgi.py", "run.py"})
    if (is_file(dir, name)) return name;
  // Else the only top-level script, if there is exactly one.
  std::vector<std::string> scripts;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".py" && entry.path().filename() != "setup.py")
      scripts.push_back(entry.path().filename().string());
  return scripts.size() == 1 ? scripts.front() : "";
}

}  // namespace

Detection detect(const fs::path& dir, const std::string& entry) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(ErrorKind::Usage, dir.string() + " is not a directory");
  Detection d;
  d.requirements_txt = is_file(dir, "requirements.txt");
  d.pyproject_toml = is_file(dir, "pyproject.toml");
  for (const char* marker : {"requirements.txt", "pyproject.toml", "setup.py"})
    if (is_file(dir, marker)) d.evidence.push_back(marker);

  if (!entry.empty()) {
    if (!is_file(dir, entry))
      throw Error(ErrorKind::Usage, "--entry " + entry + ": no such file in " + dir.string());
    d.kind = entry.ends_with(".py") ? AppKind::Python : AppKind::Static;
    d.entry = entry;
    if (d.kind == AppKind::Static && entry != "index.html")
      throw Error(ErrorKind::Usage, "--entry " + entry + ": expected a Python script (*.py) or index.html");
    return d;
  }

  d.entry = guess_python_entry(dir);
  if (!d.evidence.empty() || !d.entry.empty()) {
    if (d.entry.empty())
      throw Error(ErrorKind::Usage, "found a Python project (" + d.evidence.front() +
                                        ") but no entry script (manage.py, app.py, main.py, server.py, wsgi.py, "
                                        "run.py); name it with --entry FILE");
    if (std::find(d.evidence.begin(), d.evidence.end(), d.entry) == d.evidence.end()) d.evidence.push_back(d.entry);
    d.kind = AppKind::Python;
    return d;
  }
  if (is_file(dir, "index.html")) {
    d.kind = AppKind::Static;
    d.entry = "index.html";
    d.evidence = {"index.html"};
    return d;
  }
  throw Error(ErrorKind::Usage,
              "cannot tell what kind of application " + dir.string() +
                  " holds: berth init knows Python (requirements.txt, pyproject.toml, setup.py, app.py, main.py, "
                  "manage.py, ...) and static sites (index.html)");
}

}  // namespace berth::init
