#pragma once
// What up, create, run and scale do before planning containers. Internal to
// service.
#include <map>
#include <string>
#include <vector>

#include "berth/service/images.h"

namespace berth::model {
struct Project;
}

namespace berth::service {

struct GlobalOptions;
struct RunContext;

// The policy's refusals that need no image (a refused file fails before a
// long build), then the images of `services` (every enabled service when
// empty) and, unless `no_deps`, of their dependencies, built or pulled as
// `images` and each pull_policy say; then the policy's defaults applied with
// what the engine knows of those images (user, entrypoint), so a freshly
// built non-root image is treated as non-root on its first run.
void prepare_containers(model::Project& project, const std::vector<std::string>& services, bool no_deps,
                        const ImageOptions& images, const RunContext& ctx, const GlobalOptions& global);

// Throws a usage error naming the first --scale service the project does not have.
void check_scaled_services_exist(const model::Project& project, const std::map<std::string, int>& scale);

}  // namespace berth::service
