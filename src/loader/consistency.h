#pragma once
// Cross-reference checks on a canonical, normalized project with profiles
// applied: image or build required; referenced networks, volumes, secrets and
// configs defined; depends_on/links/volumes_from on known services;
// dependency cycles ("a -> b -> a"); container_name with scale > 1; external
// resources without extra attributes. The first problem throws
// Error(ErrorKind::Config, "file:line:col: services.web.depends_on: ...").
#include <nlohmann/json_fwd.hpp>

#include "canonical.h"

namespace berth::loader {

// `disabled_services` (the object apply_profiles returned) lets the message
// for a dependency on a disabled service say so.
void check_consistency(const nlohmann::json& project, const nlohmann::json& disabled_services,
                       const MarkLookup& mark);

}  // namespace berth::loader
