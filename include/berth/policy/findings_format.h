#pragma once
// Output of `berth audit` as JSON ({"findings": [...]}) or SARIF 2.1.0 (the
// table is the CLI's).
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "berth/policy/audit.h"

namespace berth::policy {

// `file` relative to `base_dir` when it lies below it.
std::string display_file(const std::string& file, const std::string& base_dir);

// `base_dir` makes file names relative where they lie below it.
nlohmann::json findings_json(const std::vector<Finding>& findings, const std::string& base_dir);
nlohmann::json findings_sarif(const std::vector<Finding>& findings, const std::string& base_dir);

}  // namespace berth::policy
