#pragma once
// The x-berth extension as the policy reads it: the level for a service
// (--security / BERTH_SECURITY, else top-level x-berth.security, else
// standard; a service's own x-berth.security wins for that service) and the
// refusals a service allows with x-berth: {allow: [...]}.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "berth/policy/level.h"
#include "berth/util/error.h"

namespace berth::model {
struct Project;
struct Service;
}  // namespace berth::model

namespace berth::policy {

// Where the value at a JSON pointer ("/services/web/ports/0") was written;
// unknown when the project keeps no positions.
SourceMark mark_at(const model::Project& project, const std::string& pointer);

// The names a service may list in x-berth.allow, one per refusal.
const std::vector<std::string>& allow_entries();

// `chosen` is the command line's or BERTH_SECURITY's level, if any.
// Throws ErrorKind::Config (with the position) for an unknown level.
Level project_level(const model::Project& project, std::optional<Level> chosen);
Level service_level(const model::Project& project, const model::Service& service, Level project_level);

// Throws ErrorKind::Config for an entry that is not one of allow_entries().
std::set<std::string> allowed(const model::Project& project, const model::Service& service);

}  // namespace berth::policy
