#include "berth/loader/project_files.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "berth/loader/diagnostics.h"
#include "berth/util/error.h"
#include "berth/util/strings.h"

namespace berth::loader {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxStdinBytes = 16u * 1024 * 1024;

std::string absolute_from(const std::string& path, const fs::path& base) {
  fs::path p(path);
  if (p.is_relative()) p = base / p;
  return p.lexically_normal().string();
}

// "/a/b/" → "/a/b" so that parent/basename behave.
fs::path without_trailing_slash(fs::path p) {
  std::string s = p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return fs::path(s);
}

std::optional<std::string> lookup(const Environment& env, const std::string& key) {
  auto it = env.find(key);
  if (it == env.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// The non-empty parts of `text` between separators (":" when none is given).
std::vector<std::string> split_list(std::string_view text, std::string_view separator) {
  auto parts = split(text, separator.empty() ? ":" : separator);
  std::erase_if(parts, [](const std::string& part) { return part.empty(); });
  return parts;
}

std::string read_stdin() {
  std::string text;
  char buffer[65536];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > kMaxStdinBytes)
      throw Error(ErrorKind::Config, "compose file on stdin is too large");
  }
  return text;
}

void require_file(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    throw Error(ErrorKind::Config, "open " + path + ": no such file or directory");
  if (fs::is_directory(status))
    throw Error(ErrorKind::Config, "open " + path + ": is a directory, not a compose file");
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string override_name_for(const std::string& base) {
  const auto dot = base.rfind('.');
  return base.substr(0, dot) + ".override" + base.substr(dot);
}

// Finds the default compose file in `start` or its parents, plus its override.
std::vector<ConfigFile> discover(const fs::path& start, Diagnostics& diagnostics) {
  const auto& names = default_compose_file_names();
  for (fs::path dir = start;; dir = dir.parent_path()) {
    std::vector<fs::path> found;
    for (const auto& name : names)
      if (is_file(dir / name)) found.push_back(dir / name);
    if (!found.empty()) {
      if (found.size() > 1) {
        std::string list;
        for (const auto& f : found) list += (list.empty() ? "" : ", ") + f.string();
        diagnostics.warn("Found multiple config files with supported names: " + list + "\nUsing " +
                         found.front().string());
      }
      std::vector<ConfigFile> files{ConfigFile{found.front().string(), std::nullopt}};
      // The override named like the chosen file wins; otherwise any override.
      const std::string base = found.front().filename().string();
      std::vector<std::string> overrides{override_name_for(base)};
      for (const auto& name : names)
        if (name != base) overrides.push_back(override_name_for(name));
      for (const auto& name : overrides) {
        if (is_file(dir / name)) {
          files.push_back(ConfigFile{(dir / name).string(), std::nullopt});
          break;
        }
      }
      return files;
    }
    if (dir == dir.parent_path() || dir.empty()) break;
  }
  std::string searched;
  for (const auto& name : names) searched += (searched.empty() ? "" : ", ") + name;
  throw Error(ErrorKind::Config, "no configuration file provided: not found (searched for " +
                                     searched + " in " + start.string() + " and its parents)");
}

// Go's strconv.ParseBool truths, as compose reads COMPOSE_DISABLE_ENV_FILE.
bool is_true(std::string_view text) {
  return text == "1" || text == "t" || text == "T" || text == "true" || text == "TRUE" || text == "True";
}

std::vector<std::string> split_profiles(std::string_view text) {
  std::vector<std::string> out;
  for (auto& part : split_list(text, ",")) {
    std::string t(trim(part));
    if (!t.empty()) out.push_back(std::move(t));
  }
  return out;
}

const char* kNameRule =
    "must consist only of lowercase alphanumeric characters, hyphens, and underscores as well "
    "as start with a letter or number";

}  // namespace

std::string ConfigFile::display_name() const { return path == "-" ? "<stdin>" : path; }

const std::vector<std::string>& default_compose_file_names() {
  static const std::vector<std::string> names{"compose.yaml", "compose.yml", "docker-compose.yaml",
                                              "docker-compose.yml"};
  return names;
}

bool is_valid_project_name(std::string_view name) {
  if (name.empty()) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name[0])) return false;
  for (char c : name)
    if (!alnum(c) && c != '_' && c != '-') return false;
  return true;
}

std::string normalize_project_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!keep) continue;
    if (out.empty() && (c == '_' || c == '-')) continue;
    out.push_back(c);
  }
  return out;
}

ResolvedProject resolve_project(const ProjectOptions& options, const Environment& process_env,
                                Diagnostics& diagnostics) {
  ResolvedProject project;
  std::error_code ec;
  const fs::path working = options.working_dir.empty() ? fs::current_path(ec)
                                                        : fs::path(absolute_from(options.working_dir, fs::current_path(ec)));
  project.working_dir = without_trailing_slash(working.lexically_normal()).string();

  std::optional<std::string> project_directory;
  if (options.project_directory && !options.project_directory->empty()) {
    project_directory = without_trailing_slash(absolute_from(*options.project_directory, project.working_dir)).string();
    if (!fs::is_directory(*project_directory, ec))
      throw Error(ErrorKind::Config, "project directory " + *project_directory + " does not exist");
  }

  // COMPOSE_FILE and friends may come from a .env file before the files are
  // known: the explicit env files, else .env of the directory compose-go
  // looks in first (--project-directory, else the first -f file's, else the
  // working directory). --env-file, else COMPOSE_ENV_FILES (comma
  // separated, like docker compose).
  std::vector<std::string> explicit_env_files;
  std::vector<std::string> env_file_names = options.env_files;
  if (env_file_names.empty())
    if (auto from_env = lookup(process_env, "COMPOSE_ENV_FILES")) env_file_names = split_profiles(*from_env);
  for (const auto& f : env_file_names) explicit_env_files.push_back(absolute_from(f, project.working_dir));
  const bool dot_env_disabled = is_true(lookup(process_env, "COMPOSE_DISABLE_ENV_FILE").value_or(""));
  std::string early_dir = project.working_dir;
  if (project_directory) early_dir = *project_directory;
  else if (!options.files.empty() && options.files.front() != "-")
    early_dir = fs::path(absolute_from(options.files.front(), project.working_dir)).parent_path().string();
  auto dot_env_of = [&](const std::string& dir, const Environment& lookup_env) {
    if (dot_env_disabled) return Environment{};
    return read_env_files({(fs::path(dir) / ".env").string()}, lookup_env, false);
  };
  const Environment early_file_env = explicit_env_files.empty() ? dot_env_of(early_dir, process_env)
                                                                : read_env_files(explicit_env_files, process_env, true);
  const Environment early_env = merge_environment(process_env, early_file_env);

  // Files.
  if (!options.files.empty()) {
    if (std::count(options.files.begin(), options.files.end(), "-") > 1)
      throw Error(ErrorKind::Usage, "-f - (stdin) can only be given once");
    for (const auto& f : options.files) {
      if (f == "-") {
        project.files.push_back(ConfigFile{"-", read_stdin()});
        continue;
      }
      const std::string path = absolute_from(f, project.working_dir);
      require_file(path);
      project.files.push_back(ConfigFile{path, std::nullopt});
    }
  } else if (auto compose_file = lookup(early_env, "COMPOSE_FILE")) {
    const std::string separator = lookup(early_env, "COMPOSE_PATH_SEPARATOR").value_or(":");
    for (const auto& f : split_list(*compose_file, separator)) {
      const std::string path = absolute_from(f, early_dir);
      require_file(path);
      project.files.push_back(ConfigFile{path, std::nullopt});
    }
    if (project.files.empty())
      throw Error(ErrorKind::Config, "COMPOSE_FILE is set but names no file");
  } else {
    project.files = discover(early_dir, diagnostics);
  }

  // Project directory and the environment that goes with it.
  if (project_directory) project.project_dir = *project_directory;
  else if (project.files.front().path == "-") project.project_dir = project.working_dir;
  else project.project_dir = fs::path(project.files.front().path).parent_path().string();

  // Once the project directory is known, its .env adds what is not set yet
  // (compose-go reads both: run from a subdirectory, the subdirectory's
  // .env wins over the project's, and a .env that names COMPOSE_FILE also
  // sets the variables the files use).
  if (!explicit_env_files.empty() || project.project_dir == early_dir) {
    project.env = early_env;
  } else {
    Environment file_env = dot_env_of(project.project_dir, early_env);
    for (const auto& [key, value] : early_file_env) file_env[key] = value;
    project.env = merge_environment(process_env, file_env);
  }

  // Name.
  if (options.project_name && !options.project_name->empty()) {
    if (!is_valid_project_name(*options.project_name))
      throw Error(ErrorKind::Usage,
                  "invalid project name \"" + *options.project_name + "\": " + kNameRule);
    project.explicit_name = *options.project_name;
  } else if (auto from_env = lookup(project.env, "COMPOSE_PROJECT_NAME")
                                 ? lookup(project.env, "COMPOSE_PROJECT_NAME")
                                 : lookup(early_env, "COMPOSE_PROJECT_NAME")) {
    if (!is_valid_project_name(*from_env))
      throw Error(ErrorKind::Config,
                  "invalid project name \"" + *from_env + "\" in COMPOSE_PROJECT_NAME: " + kNameRule);
    project.explicit_name = *from_env;
  }
  project.default_name = normalize_project_name(fs::path(project.project_dir).filename().string());

  // Profiles.
  auto add_profile = [&](const std::string& p) {
    for (const auto& existing : project.profiles)
      if (existing == p) return;
    project.profiles.push_back(p);
  };
  for (const auto& p : options.profiles)
    for (const auto& part : split_profiles(p)) add_profile(part);
  auto env_profiles = lookup(project.env, "COMPOSE_PROFILES");
  if (!env_profiles) env_profiles = lookup(early_env, "COMPOSE_PROFILES");
  if (env_profiles)
    for (const auto& part : split_profiles(*env_profiles)) add_profile(part);
  return project;
}

std::string choose_project_name(const ResolvedProject& project,
                                const std::optional<std::string>& name_from_files) {
  if (project.explicit_name) return *project.explicit_name;
  if (name_from_files && !name_from_files->empty()) {
    std::string name = normalize_project_name(*name_from_files);
    if (name.empty())
      throw Error(ErrorKind::Config, "invalid project name \"" + *name_from_files + "\": " + kNameRule);
    return name;
  }
  if (project.default_name.empty())
    throw Error(ErrorKind::Config, "project name must not be empty: the project directory " +
                                       project.project_dir +
                                       " gives none; set one with -p or a top-level name:");
  return project.default_name;
}

}  // namespace berth::loader
