#pragma once
// The environment used for interpolation: the process environment over
// env files (`--env-file`, repeatable, later wins; default `.env` of the
// project directory), plus UID and GID of the invoking user when neither
// defines them (DESIGN.md §5).
#include <map>
#include <string>
#include <vector>

namespace berth::loader {

using Environment = std::map<std::string, std::string>;

// The current process environment (environ).
Environment process_environment();

// Reads env files in order (later wins) with dotenv syntax; `${VAR}` inside
// them sees process_env first, then earlier files' values. A missing file is
// an error when `required` (explicit --env-file), and skipped otherwise.
Environment read_env_files(const std::vector<std::string>& paths, const Environment& process_env,
                           bool required);

// process_env over file_env, then UID/GID added when still missing.
// The uid/gid are those of the invoking user: SUDO_UID/SUDO_GID when
// running as root through sudo, else getuid()/getgid().
Environment merge_environment(const Environment& process_env, const Environment& file_env);

// The invoking user's ids as strings (see merge_environment).
std::string invoking_uid(const Environment& process_env);
std::string invoking_gid(const Environment& process_env);

}  // namespace berth::loader
