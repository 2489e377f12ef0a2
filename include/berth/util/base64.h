#pragma once
// Base64 (RFC 4648), as the Engine API uses it: registry credentials in
// X-Registry-Auth (URL alphabet), the docker config's "auth" entries, the
// path stat header of the archive API.
#include <string>
#include <string_view>

namespace berth {

enum class Base64Alphabet { Standard, Url };

// Padded.
std::string base64_encode(std::string_view data, Base64Alphabet alphabet = Base64Alphabet::Standard);

// Either alphabet, padding and line breaks optional (the docker CLI writes
// standard, padded; hand-written files vary). Throws ErrorKind::Config on
// other characters.
std::string base64_decode(std::string_view text);

}  // namespace berth
