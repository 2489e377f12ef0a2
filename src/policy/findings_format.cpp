#include "berth/policy/findings_format.h"

#include <map>
#include <nlohmann/json.hpp>

namespace berth::policy {

using nlohmann::json;

std::string display_file(const std::string& file, const std::string& base_dir) {
  if (base_dir.empty() || file.size() <= base_dir.size() + 1 || !file.starts_with(base_dir) ||
      file[base_dir.size()] != '/')
    return file;
  return file.substr(base_dir.size() + 1);
}

json findings_json(const std::vector<Finding>& findings, const std::string& base_dir) {
  json list = json::array();
  for (const auto& f : findings) {
    json line = f.mark.line > 0 ? json(f.mark.line) : json(nullptr);
    list.push_back({{"id", f.id},
                    {"severity", to_string(f.severity)},
                    {"service", f.service},
                    {"file", display_file(f.mark.file, base_dir)},
                    {"line", line},
                    {"cis", f.cis},
                    {"owasp", f.owasp},
                    {"message", f.message},
                    {"fix", f.fix},
                    {"mitigated", f.mitigated}});
  }
  return {{"findings", list}};
}

json findings_sarif(const std::vector<Finding>& findings, const std::string& base_dir) {
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  json results = json::array();
  for (const auto& f : findings) {
    if (!rule_index.count(f.id)) {
      rule_index[f.id] = rules.size();
      rules.push_back({{"id", f.id},
                       {"shortDescription", {{"text", f.id}}},
                       {"help", {{"text", f.fix}}},
                       {"properties", {{"cis", f.cis}, {"owasp", f.owasp}}}});
    }
    const char* level = f.severity == Severity::High ? "error" : f.severity == Severity::Medium ? "warning" : "note";
    json physical = {{"artifactLocation", {{"uri", display_file(f.mark.file, base_dir)}}}};
    if (f.mark.line > 0) physical["region"] = {{"startLine", f.mark.line}};
    json result = {{"ruleId", f.id},
                   {"ruleIndex", rule_index[f.id]},
                   {"level", level},
                   {"message", {{"text", "service " + f.service + ": " + f.message + ". Fix: " + f.fix}}},
                   {"locations", json::array({{{"physicalLocation", physical}}})},
                   {"properties", {{"service", f.service}, {"severity", to_string(f.severity)}}}};
    if (f.mitigated)
      result["suppressions"] =
          json::array({{{"kind", "external"}, {"justification", "mitigated by berth's security policy"}}});
    results.push_back(std::move(result));
  }
  return {{"version", "2.1.0"},
          {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"runs", json::array({{{"tool", {{"driver", {{"name", "berth"}, {"rules", rules}}}}},
                                 {"results", results}}})}};
}

}  // namespace berth::policy
