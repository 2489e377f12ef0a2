#pragma once
// The images steps behind `berth build`, `pull`, `push` and the images step
// of up/create/run/scale, over a RunContext (so unit tests run them against
// a fake engine). Internal to service.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/service/images.h"

namespace berth::model {
struct Project;
struct Service;
}  // namespace berth::model

namespace berth::service {

struct RunContext;

// Builds or pulls the images of `services` (names already closed over their
// dependencies by the caller; empty: every enabled service) so the plan finds
// them. A service whose image is missing and may be neither pulled nor built
// is an error naming it and its pull_policy.
void ensure_images(const model::Project& project, const std::vector<std::string>& services,
                   const ImageOptions& options, const RunContext& ctx);

// Builds the image of each service in `services` (all with build:), each
// distinct image once, in parallel up to ctx.parallelism; `options.services`
// and `options.with_dependencies` are not looked at. Every build section is
// checked before anything is sent, so an unsupported option fails the whole
// run up front. Returns image name -> image id. Throws berth::Error naming
// every service whose build failed, with the failing step's last output.
std::map<std::string, std::string> build_services(const model::Project& project,
                                                  const std::vector<const model::Service*>& services,
                                                  const BuildOptions& options, const RunContext& ctx);

// `berth build`'s work: the selected services (with_dependencies) with build:.
void build_images(const model::Project& project, const BuildOptions& options, const RunContext& ctx);
void pull_images(const model::Project& project, const PullOptions& options, const RunContext& ctx);
void push_images(const model::Project& project, const PushOptions& options, const RunContext& ctx);

// The refresh interval of pull_policy "daily" (24h), "weekly" (7 days) or
// "every_<duration>" ("every_12h", "every_2d", "every_1w"); nullopt for the
// other policies. Throws ErrorKind::Config for a malformed every_ duration.
std::optional<std::chrono::seconds> pull_policy_max_age(const std::string& pull_policy);

}  // namespace berth::service
