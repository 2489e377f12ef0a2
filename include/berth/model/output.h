#pragma once
// Writers for `berth config`: canonical JSON and YAML in docker compose's
// style (2-space indent, block style, map keys sorted except the top level,
// which follows compose's order name, services, networks, volumes, secrets,
// configs, models, x-*; strings quoted only when YAML would read them as
// something else).
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace berth::model {

std::string to_yaml(const nlohmann::json& doc);
// The same, with "  # comment" at the end of the line of each key whose JSON
// pointer ("/services/web/cap_drop") is in `comments` (e.g. the values the
// security policy set).
std::string to_yaml(const nlohmann::json& doc, const std::map<std::string, std::string>& comments);

// Doubles "$" in every string value (in place), so that printed output read
// back as a compose file (which interpolates) gives the same values. Keys are kept.
void escape_dollars(nlohmann::json& doc);
std::string to_json_text(const nlohmann::json& doc, int indent = 2);

}  // namespace berth::model
