#include "berth/loader/environment.h"

#include <unistd.h>

#include <filesystem>

#include "berth/loader/dotenv.h"
#include "berth/util/error.h"

extern char** environ;

namespace berth::loader {

Environment process_environment() {
  Environment env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

Environment read_env_files(const std::vector<std::string>& paths, const Environment& process_env,
                           bool required) {
  Environment file_env;
  const DotenvLookup from_process = [&](const std::string& name) -> std::optional<std::string> {
    if (auto it = process_env.find(name); it != process_env.end()) return it->second;
    return std::nullopt;
  };
  const DotenvLookup from_earlier_files = [&](const std::string& name) -> std::optional<std::string> {
    if (auto it = file_env.find(name); it != file_env.end()) return it->second;
    return std::nullopt;
  };
  for (const auto& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      if (!required) continue;
      if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorKind::Config, "env file " + path + " is a directory");
      throw Error(ErrorKind::Config, "couldn't find env file: " + path);
    }
    for (auto& [key, value] : read_dotenv_file(path, from_process, from_earlier_files)) file_env[key] = std::move(value);
  }
  return file_env;
}

namespace {

// Running as root through sudo, the developer is the user who typed sudo:
// files written to bind mounts should belong to them.
std::string invoking_id(const Environment& process_env, const char* sudo_var, unsigned long own) {
  if (::geteuid() == 0) {
    if (auto it = process_env.find(sudo_var); it != process_env.end() && !it->second.empty() &&
                                               it->second.find_first_not_of("0123456789") ==
                                                   std::string::npos)
      return it->second;
  }
  return std::to_string(own);
}

}  // namespace

std::string invoking_uid(const Environment& process_env) {
  return invoking_id(process_env, "SUDO_UID", ::getuid());
}

std::string invoking_gid(const Environment& process_env) {
  return invoking_id(process_env, "SUDO_GID", ::getgid());
}

Environment merge_environment(const Environment& process_env, const Environment& file_env) {
  Environment env = file_env;
  for (const auto& [key, value] : process_env) env[key] = value;
  if (!env.count("UID")) env["UID"] = invoking_uid(process_env);
  if (!env.count("GID")) env["GID"] = invoking_gid(process_env);
  return env;
}

}  // namespace berth::loader
