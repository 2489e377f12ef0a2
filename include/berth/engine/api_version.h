#pragma once
// Engine API versions: berth speaks 1.41 (Docker 20.10) up to max_api_version,
// in the version the engine offers; the container spec asks which features
// the negotiated version has.
#include <string>

namespace berth::engine {

// The newest API version berth speaks; older engines (down to 1.41) are
// spoken to in their own version.
inline constexpr const char* max_api_version = "1.43";
inline constexpr const char* min_api_version = "1.41";

// "1.41" vs "1.43": negative, zero or positive. Unparsable parts count as 0.
int compare_api_versions(const std::string& a, const std::string& b);

// min(engine's version, berth's max); an engine that names no version is
// spoken to at min_api_version.
std::string negotiate_api_version(const std::string& engine_version);

}  // namespace berth::engine
