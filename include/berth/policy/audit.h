#pragma once
// `berth audit`: static checks of the model (and of what the engine knows of
// the images, and of the Dockerfiles of services with build:). Each finding
// names its rule in the CIS Docker Benchmark v1.6.0 and the OWASP Docker
// Security Cheat Sheet. Findings the chosen security level already fixes are
// reported as mitigated, not hidden.
#include <string>
#include <vector>

#include "berth/policy/apply.h"
#include "berth/util/error.h"

namespace berth::model {
struct Project;
}

namespace berth::policy {

enum class Severity { Low, Medium, High };
const char* to_string(Severity severity);
std::optional<Severity> parse_severity(const std::string& text);

struct Finding {
  std::string id;  // stable, e.g. "privileged", "docker-socket"
  Severity severity = Severity::Medium;
  std::string service;
  SourceMark mark;    // where the service (or the offending value) was written
  std::string cis;    // e.g. "5.5"
  std::string cis_title;  // e.g. "Ensure that privileged containers are not used"
  std::string owasp;  // e.g. "RULE #1"
  std::string message;
  std::string fix;
  bool mitigated = false;
  std::string subject;  // what in the service it is about ("/ports/0"); tells findings of one rule apart
};

// The model as written, checked rule by rule; then the same model with the
// policy applied (options.level, x-berth) checked again: what disappeared is
// mitigated. Sorted by severity (high first), then service, then id.
std::vector<Finding> audit(const model::Project& project, const PolicyOptions& options);

// The rules without the policy comparison (every finding unmitigated).
std::vector<Finding> check(const model::Project& project, const ImageLookup& image);

// Findings at or above `threshold` that are not mitigated.
size_t count_failing(const std::vector<Finding>& findings, Severity threshold);

}  // namespace berth::policy
