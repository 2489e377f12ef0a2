#pragma once
// Building service images, shared by `berth build` (exec::build) and the
// images step of up/create/run (exec::ensure_images). Internal to exec.
#include <map>
#include <string>
#include <vector>

#include "berth/exec/images.h"

namespace berth::model {
struct Service;
}

namespace berth::exec {

// Builds the image of each service in `services` (all with build:), each
// distinct image once, in parallel up to ctx.parallelism; `options.services`
// and `options.with_dependencies` are not looked at. Every build section is
// checked before anything is sent, so an unsupported option fails the whole
// run up front. Returns image name -> image id. Throws berth::Error naming
// every service whose build failed, with the failing step's last output.
std::map<std::string, std::string> build_services(const model::Project& project,
                                                  const std::vector<const model::Service*>& services,
                                                  const BuildOptions& options, const RunContext& ctx);

}  // namespace berth::exec
