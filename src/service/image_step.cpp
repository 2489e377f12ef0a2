// The images step of up/create/run/scale: for each service, from its
// pull_policy and the command's --build/--no-build/--pull, whether its image
// is pulled, built, used as it is, or missing for good (an error naming the
// service). Pulls go through pull_images, builds through build_services.
#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "berth/engine/engine.h"
#include "berth/model/project.h"
#include "berth/util/error.h"
#include "berth/util/rfc3339.h"
#include "image_builds.h"
#include "session.h"

namespace berth::service {
namespace {

// What the engine knows of an image: nothing (absent) or when it was last tagged.
struct LocalImage {
  bool present = false;
  std::optional<std::int64_t> last_tagged;  // seconds since the epoch
};

LocalImage inspect_local(engine::Engine& engine, const std::string& image) {
  try {
    auto inspect = engine.inspect_image(image);
    LocalImage local{true, std::nullopt};
    auto text = inspect.value(nlohmann::json::json_pointer("/Metadata/LastTagTime"), std::string());
    if (auto nanos = parse_rfc3339(text)) local.last_tagged = *nanos / 1000000000;
    return local;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::NotFound) return {};
    throw;
  }
}

std::string service_text(const model::Service& s) { return "service \"" + s.name + "\""; }

struct Decisions {
  std::vector<const model::Service*> pull;            // pull failures are errors
  std::vector<const model::Service*> pull_or_build;   // pulled; built when the pull fails
  std::vector<const model::Service*> build;
  std::vector<std::string> errors;
};

std::vector<std::string> names_of(const std::vector<const model::Service*>& services) {
  std::vector<std::string> out;
  for (const auto* s : services) out.push_back(s->name);
  return out;
}

}  // namespace

void ensure_images(const model::Project& project, const std::vector<std::string>& services,
                   const ImageOptions& options, const RunContext& ctx) {
  std::vector<const model::Service*> selected;
  if (services.empty()) {
    for (const auto& s : project.services) selected.push_back(&s);
  } else {
    for (const auto& name : services)
      if (const auto* s = project.find_service(name)) selected.push_back(s);
  }

  std::map<std::string, LocalImage> local;
  auto local_image = [&](const std::string& image) -> const LocalImage& {
    auto it = local.find(image);
    if (it == local.end()) it = local.emplace(image, inspect_local(ctx.engine, image)).first;
    return it->second;
  };
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();

  Decisions d;
  for (const auto* s : selected) {
    const std::string image = s->image_name(project.name);
    const bool from_flag = !options.pull.empty();
    std::string policy = from_flag ? options.pull : s->pull_policy;
    if (policy.empty() || policy == "if_not_present") policy = "missing";
    const bool may_build = s->has_build && options.build != ImageOptions::Build::Never;
    auto missing = [&](const std::string& why) {
      d.errors.push_back(service_text(*s) + ": image " + image + " not found locally and " + why);
    };

    if (s->has_build && options.build == ImageOptions::Build::Always) {
      d.build.push_back(s);
      continue;
    }
    if (policy == "build" && s->has_build) {
      if (may_build) d.build.push_back(s);
      else if (!local_image(image).present) missing("--no-build was given");
      continue;
    }
    if (policy == "always") {
      if (s->image) (s->has_build ? d.pull_or_build : d.pull).push_back(s);
      else if (may_build && !local_image(image).present) d.build.push_back(s);
      else if (!local_image(image).present) missing("--no-build was given");
      continue;
    }
    const LocalImage& found = local_image(image);
    if (policy == "never") {
      if (found.present) continue;
      if (may_build) d.build.push_back(s);
      else missing(from_flag ? "--pull is never" : "pull_policy is never");
      continue;
    }
    std::optional<std::chrono::seconds> max_age;
    if (policy != "missing" && policy != "build") {
      max_age = pull_policy_max_age(policy);  // throws for a malformed every_<duration>
      if (!max_age)
        throw Error(ErrorKind::Config, service_text(*s) + ": unknown pull_policy \"" + policy +
                                           "\" (always, never, missing, if_not_present, build, daily, "
                                           "weekly, every_<duration>)");
    }
    const bool stale = max_age && found.present &&
                       (!found.last_tagged || now - *found.last_tagged >= max_age->count());
    if (found.present && !stale) continue;
    if (s->image) {
      (s->has_build ? d.pull_or_build : d.pull).push_back(s);
    } else if (may_build) {
      if (!found.present) d.build.push_back(s);
    } else if (!found.present) {
      missing(s->has_build ? "--no-build was given" : "the service has neither image nor build");
    }
  }
  if (!d.errors.empty()) {
    std::string text;
    for (const auto& e : d.errors) text += (text.empty() ? "" : "\n") + e;
    throw Error(ErrorKind::NotFound, text);
  }

  if (!d.pull.empty()) {
    PullOptions pull;
    pull.services = names_of(d.pull);
    pull.policy = "always";
    pull.quiet = options.quiet_pull;
    pull_images(project, pull, ctx);
  }
  if (!d.pull_or_build.empty()) {
    PullOptions pull;
    pull.services = names_of(d.pull_or_build);
    pull.policy = "always";
    pull.quiet = options.quiet_pull;
    // A service that can be built is built when its image cannot be pulled.
    pull.ignore_pull_failures = true;
    pull_images(project, pull, ctx);
    for (const auto* s : d.pull_or_build) {
      const std::string image = s->image_name(project.name);
      if (ctx.dry_run || inspect_local(ctx.engine, image).present) continue;
      if (options.build == ImageOptions::Build::Never)
        throw Error(ErrorKind::NotFound, service_text(*s) + ": image " + image +
                                             " could not be pulled and --no-build was given");
      d.build.push_back(s);
    }
  }
  if (!d.build.empty()) {
    BuildOptions build;
    build.quiet = options.quiet_build;
    build_services(project, d.build, build, ctx);
  }
}

}  // namespace berth::service
