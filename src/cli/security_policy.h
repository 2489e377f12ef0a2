#pragma once
// The bridge between the CLI and the security policy: the level chosen by
// --security / BERTH_SECURITY, and image facts read from the engine (when it
// answers; without an engine every image is unknown).
#include "berth/policy/apply.h"

namespace berth::model {
struct Project;
}

namespace berth::cli {

struct GlobalOptions;

policy::PolicyOptions policy_options(const GlobalOptions& global);

// policy::apply with policy_options(global): edits the project, throws
// ErrorKind::Policy listing the refused settings.
void apply_security_policy(model::Project& project, const GlobalOptions& global);

// For `berth config`: applies the policy like apply_security_policy but
// prints each refusal as a warning on stderr instead of failing, so the
// output shows what `up` would run once the refusals are allowed.
void preview_security_policy(model::Project& project, const GlobalOptions& global);

}  // namespace berth::cli
