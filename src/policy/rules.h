#pragma once
// Every audit rule in one table: its stable id, severity, references (CIS
// Docker Benchmark v1.6.0 item, OWASP Docker Security Cheat Sheet rule), the
// x-berth allow entry of the refusal it corresponds to (if any) and the fix.
// The service checks (audit.cpp) and the Dockerfile checks
// (dockerfile_rules.cpp) make their findings from it, so a rule's
// scaffolding is written once.
#include <string>
#include <string_view>
#include <vector>

#include "berth/policy/audit.h"

namespace berth::policy {

struct Rule {
  const char* id;
  Severity severity;
  const char* cis;        // "" when the benchmark has no item for it
  const char* cis_title;  // the item's title in the benchmark
  const char* owasp;
  const char* allow;  // the x-berth allow entry that permits the setting; "" for plain findings
  const char* what;   // what it reports, in a few words (the README's table and SARIF's rule description)
  const char* fix;
};

const std::vector<Rule>& rules();

// Throws ErrorKind::Internal for an id not in the table (a programming error).
const Rule& rule(std::string_view id);

// The rule reporting the setting a refusal's allow entry permits; nullptr for none.
const Rule* rule_for_allow(std::string_view allow);

// A finding of `rule` with its severity, references and fix filled in.
Finding make_finding(const Rule& rule, std::string service, SourceMark mark, std::string message,
                     std::string subject);

}  // namespace berth::policy
