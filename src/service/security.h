#pragma once
// The security policy's options as the command line and the project choose
// them. Internal to service.
#include "berth/policy/apply.h"

namespace berth::model {
struct Project;
}

namespace berth::service {

struct GlobalOptions;

// The level: --security / BERTH_SECURITY, else the security of the
// environment chosen with --env / BERTH_ENV, else the project's own
// (x-berth.security, else standard); a service's x-berth.security still wins
// for that service. Also the environment's forbid_labels.
policy::PolicyOptions policy_options(const GlobalOptions& global, const model::Project& project);

}  // namespace berth::service
