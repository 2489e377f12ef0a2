#pragma once
// Compose's short syntaxes, as the canonical stage reads them; also what
// `run -p`, `run -v` and `run --entrypoint` take on the command line.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace berth::loader {

// Short port syntax "[host_ip:][published[-range]:]target[-range][/protocol]"
// -> one long-syntax object per port. Throws Error(Config) without position
// (the caller adds it).
std::vector<nlohmann::json> parse_port_spec(const std::string& spec);

// Short volume syntax "[source:]target[:mode]" -> long syntax, source left as
// written (the caller resolves paths).
nlohmann::json parse_volume_spec(const std::string& spec);

// "a b 'c d'" -> ["a","b","c d"], shell word rules (quotes, backslashes).
std::vector<std::string> split_shell_words(const std::string& text);

}  // namespace berth::loader
