#pragma once
// Path helpers for the canonical form (POSIX paths only).
#include <string>

namespace berth::loader {

// Lexical cleanup like Go's filepath.Clean: "a/./b/../c/" -> "a/c".
std::string clean_path(const std::string& path);
// "~" and "~/x" -> home; relative -> against base; the result is cleaned.
std::string resolve_path(const std::string& path, const std::string& base, const std::string& home);
// The home directory to use for "~": `configured`, else $HOME, else "/".
std::string home_directory(const std::string& configured);
// A build context or additional context that is not a local path (git URL,
// http URL, docker-image://, service:, oci-layout://).
bool is_remote_context(const std::string& context);

}  // namespace berth::loader
