#pragma once
// Small text helpers more than one module needs.
#include <string>
#include <string_view>

namespace berth {

// Without leading and trailing white space (space, tab, CR, LF, VT, FF).
std::string_view trim(std::string_view text);

// One reference token of a JSON pointer (RFC 6901): "~" as "~0", "/" as "~1".
std::string escape_json_pointer_token(std::string_view token);
// Appends "/" and the escaped token to `pointer`.
void append_json_pointer_token(std::string& pointer, std::string_view token);
// The token's text back from its escaped form.
std::string unescape_json_pointer_token(std::string_view token);

}  // namespace berth
