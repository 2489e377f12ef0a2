#pragma once
// The audit's Dockerfile checks for services built by the project: a
// non-root USER, a pinned base image, COPY rather than ADD, no secrets in
// ARG/ENV, a HEALTHCHECK.
#include <string>
#include <vector>

#include "berth/policy/audit.h"

namespace berth::model {
struct Project;
struct Service;
}  // namespace berth::model

namespace berth::policy {

// The findings for one Dockerfile's text; `file` names it in the findings' marks.
std::vector<Finding> check_dockerfile(const std::string& text, const std::string& file, const std::string& service);

// Reads the service's Dockerfile (build.dockerfile_inline, or build.dockerfile
// below build.context); none for a service without build: or whose
// Dockerfile cannot be read (a remote context).
std::vector<Finding> dockerfile_findings(const model::Project& project, const model::Service& service);

}  // namespace berth::policy
