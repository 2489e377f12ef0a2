#pragma once
// Small text helpers more than one module needs.
#include <string>
#include <string_view>
#include <vector>

namespace berth {

// Without leading and trailing white space (space, tab, CR, LF, VT, FF).
std::string_view trim(std::string_view text);

// The parts between the separators, empty ones included ("a::b" -> a, "", b).
std::vector<std::string> split(std::string_view text, std::string_view separator);

// `text` between double quotes with C-style escapes: \" \\ \n \t \r, and
// \xNN for the other control bytes and DEL (what both Go's %q and YAML's
// double-quoted style read back).
void append_double_quoted(std::string& out, std::string_view text);

// One reference token of a JSON pointer (RFC 6901): "~" as "~0", "/" as "~1".
std::string escape_json_pointer_token(std::string_view token);
// Appends "/" and the escaped token to `pointer`.
void append_json_pointer_token(std::string& pointer, std::string_view token);
// The token's text back from its escaped form.
std::string unescape_json_pointer_token(std::string_view token);

}  // namespace berth
