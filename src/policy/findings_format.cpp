#include "berth/policy/findings_format.h"

#include <map>
#include <nlohmann/json.hpp>

#include "rules.h"

namespace berth::policy {

using nlohmann::json;

std::string display_file(const std::string& file, const std::string& base_dir) {
  if (base_dir.empty() || file.size() <= base_dir.size() + 1 || !file.starts_with(base_dir) ||
      file[base_dir.size()] != '/')
    return file;
  return file.substr(base_dir.size() + 1);
}

namespace {

const char* sarif_level(Severity severity) {
  return severity == Severity::High ? "error" : severity == Severity::Medium ? "warning" : "note";
}

// The rule's description without the Markdown backticks of the README's table.
std::string plain(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != '`') out += c;
  return out;
}

}  // namespace

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
                    {"cis_title", f.cis_title},
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
      const Rule& r = rule(f.id);
      json described = {{"id", f.id},
                        {"name", f.id},
                        {"shortDescription", {{"text", plain(r.what)}}},
                        {"help", {{"text", f.fix}}},
                        {"defaultConfiguration", {{"level", sarif_level(f.severity)}}},
                        {"properties", {{"cis", f.cis}, {"owasp", f.owasp}}}};
      if (!f.cis.empty()) {
        described["fullDescription"] = {{"text", "CIS Docker Benchmark v1.6.0 " + f.cis + ": " + f.cis_title}};
        described["properties"]["cis_title"] = f.cis_title;
      }
      rules.push_back(std::move(described));
    }
    const char* level = sarif_level(f.severity);
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
