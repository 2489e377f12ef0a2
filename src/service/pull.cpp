// `berth pull` and `berth push`, and the pulls ensure_images asks for: which
// services' images to transfer (docker compose's rules), credentials from the
// docker config, per-layer progress, and errors that name the service.
#include <algorithm>
#include <cctype>
#include <functional>
#include <chrono>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/engine/cancel_token.h"
#include "berth/engine/engine.h"
#include "berth/engine/registry_auth.h"
#include "berth/model/project.h"
#include "berth/model/units.h"
#include "berth/ui/progress.h"
#include "berth/util/error.h"
#include "berth/util/image_reference.h"
#include "berth/util/rfc3339.h"
#include "image_builds.h"
#include "parallel_each.h"
#include "session.h"

namespace berth::service {
namespace {

std::string image_resource(const std::string& image) { return "Image " + image; }
std::string service_resource(const std::string& service) { return "Service " + service; }


// Layer lines of a pull or push stream as nested progress events; the
// stream's other lines ("Pulling from", "Digest:", "Status:", "The push
// refers to") are not about a layer and are dropped, as docker compose does.
engine::ProgressSink layer_progress(const RunContext& ctx, const std::string& image, bool quiet) {
  if (quiet) return nullptr;
  const std::string parent = image_resource(image);
  // The tag (or digest) is what the engine reports as the id of its
  // "Pulling from ..." line, which is not a layer.
  const std::string tag = parse_image_reference(image).tag_or_digest();
  return [&ctx, parent, tag](const engine::ProgressMessage& m) {
    if (m.id.empty() || m.id == tag || !m.error.empty() || m.status.starts_with("Pulling from")) return;
    static const std::set<std::string> done = {"Download complete", "Already exists", "Pull complete", "Pushed",
                                               "Layer already exists"};
    ui::ProgressEvent e;
    e.resource = m.id;
    e.parent = parent;
    e.status = m.status;
    e.state = done.count(m.status) || m.status.starts_with("Mounted from") ? ui::ProgressState::Done
                                                                            : ui::ProgressState::Working;
    if (m.status == "Downloading" || m.status == "Extracting" || m.status == "Pushing") {
      e.current = m.current;
      e.total = m.total;
    }
    ctx.progress.event(e);
  };
}

// parallel_each's work must not throw: every failure comes back as an Error.
std::optional<Error> attempt(const std::function<void()>& call) {
  try {
    call();
    return std::nullopt;
  } catch (const Error& e) {
    return e;
  } catch (const std::exception& e) {
    return Error(ErrorKind::Internal, e.what());
  }
}

std::optional<std::int64_t> last_tag_time_seconds(engine::Engine& engine, const std::string& image) {
  try {
    auto inspect = engine.inspect_image(image);
    auto text = inspect.value(nlohmann::json::json_pointer("/Metadata/LastTagTime"), std::string());
    if (auto nanos = parse_rfc3339(text)) return *nanos / 1000000000;
    return std::numeric_limits<std::int64_t>::min();  // present, never tagged: as old as can be
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::NotFound) return std::nullopt;
    throw;
  }
}

bool image_present(engine::Engine& engine, const std::string& image) {
  return last_tag_time_seconds(engine, image).has_value();
}

std::vector<const model::Service*> selected_services(const model::Project& project,
                                                     const std::vector<std::string>& names, bool include_deps) {
  std::vector<const model::Service*> out;
  if (names.empty()) {
    for (const auto& s : project.services) out.push_back(&s);
    return out;
  }
  std::set<std::string> wanted(names.begin(), names.end());
  if (include_deps) wanted = project.with_dependencies(names);
  for (const auto& name : wanted) {
    const auto* s = project.find_service(name);
    if (!s) throw Error(ErrorKind::Usage, "no such service: " + name);
    out.push_back(s);
  }
  return out;
}

struct Transfer {
  const model::Service* service;
  std::string image;
};

std::string joined(const std::vector<std::string>& words, const char* separator) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : separator) + w;
  return out;
}

// --dry-run: what would be transferred, one line each ("pull" or "push").
void print_dry_run(const std::vector<Transfer>& transfers, const std::string& verb, const RunContext& ctx) {
  for (const auto& t : transfers)
    ctx.progress.message("DRY-RUN " + verb + " image " + t.image + " for service " + t.service->name);
}

// After every transfer ended: an interruption wins, then every failure in
// one error (sorted), unless failures are to be ignored.
void throw_transfer_errors(std::optional<ErrorKind> first_kind, std::vector<std::string> errors, bool ignore_failures) {
  if (first_kind == ErrorKind::Interrupted) throw Error(ErrorKind::Interrupted, "interrupted");
  if (errors.empty() || ignore_failures) return;
  std::sort(errors.begin(), errors.end());
  throw Error(*first_kind == ErrorKind::NotFound ? ErrorKind::Engine : *first_kind, joined(errors, "\n"));
}

// How a failed transfer shows: its status word and state (a failure that
// does not fail the run is a warning).
struct FailureLook {
  const char* status;
  ui::ProgressState state;
};

struct TransferWords {
  const char* working;  // "Pulling"
  const char* done;     // "Pulled"
  const char* noun;     // "pull"
  const char* doing;    // "pulling"
};

struct TransferFailures {
  std::optional<ErrorKind> first_kind;  // Interrupted wins
  std::vector<std::string> errors;
  std::vector<const Transfer*> failed;  // not interrupted
};

// Runs `transfer(t, registry_auth, cancel)` for every transfer in parallel,
// each reported under its image with `words`; credentials come from the
// docker config, and a failure is worded so that the user can act on it.
TransferFailures transfer_each(
    const std::vector<Transfer>& transfers, const TransferWords& words, const RunContext& ctx,
    const std::function<void(const Transfer&, const std::string& registry_auth, engine::CancelToken&)>& transfer,
    const std::function<FailureLook(const Transfer&)>& look) {
  const auto config = engine::DockerConfig::load();
  engine::CancelToken cancel;
  std::mutex mutex;
  TransferFailures out;
  parallel_each(transfers.size(), ctx.parallelism, ctx, cancel, [&](size_t i) {
    const Transfer& t = transfers[i];
    const auto resource = image_resource(t.image);
    ctx.progress.report(resource, words.working, ui::ProgressState::Working);
    const auto auth = config.auth_for(t.image);
    auto failure = attempt([&] { transfer(t, auth.header, cancel); });
    if (!failure) {
      ctx.progress.report(resource, words.done, ui::ProgressState::Done);
      return;
    }
    if (failure->kind() == ErrorKind::Interrupted) {
      ctx.progress.report(resource, "Interrupted", ui::ProgressState::Warning);
      std::lock_guard lock(mutex);
      out.first_kind = ErrorKind::Interrupted;
      out.errors.push_back(std::string(words.noun) + " of " + t.image + " interrupted");
      return;
    }
    const auto message = engine::explain_registry_error(failure->message(), t.image, auth, config);
    const FailureLook shown = look(t);
    ctx.progress.report(resource, shown.status, shown.state, message);
    std::lock_guard lock(mutex);
    if (!out.first_kind) out.first_kind = failure->kind();
    out.failed.push_back(&t);
    out.errors.push_back("service \"" + t.service->name + "\": " + words.doing + " " + t.image + ": " + message);
  });
  return out;
}

}  // namespace

std::optional<std::chrono::seconds> pull_policy_max_age(const std::string& policy) {
  using namespace std::chrono;
  if (policy == "daily") return hours(24);
  if (policy == "weekly") return hours(24 * 7);
  if (!policy.starts_with("every_")) return std::nullopt;
  // compose-go reads the duration with Go's syntax plus "d" and "w" units.
  std::string text = policy.substr(6);
  std::int64_t seconds = 0;
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j < text.size() && (text[j] == 'd' || text[j] == 'w')) {
      seconds += std::stoll(text.substr(i, j - i)) * (text[j] == 'd' ? 86400 : 7 * 86400);
      i = j + 1;
    } else {
      break;
    }
  }
  std::string rest = text.substr(i);
  if (!rest.empty()) {
    auto nanos = model::parse_duration(rest);
    if (!nanos) seconds = -1;
    else seconds += *nanos / 1000000000;
  }
  if (text.empty() || seconds <= 0)
    throw Error(ErrorKind::Config, "invalid pull_policy \"" + policy +
                                       "\": expected every_<duration> such as every_12h, every_2d or every_1w");
  return std::chrono::seconds(seconds);
}

void pull_images(const model::Project& project, const PullOptions& options, const RunContext& ctx) {
  if (!options.policy.empty() && options.policy != "missing" && options.policy != "always")
    throw Error(ErrorKind::Usage, "invalid --policy \"" + options.policy + "\": use missing or always");
  std::vector<Transfer> pulls;
  std::set<std::string> images_seen;
  for (const auto* s : selected_services(project, options.services, options.include_deps)) {
    if (!s->image) {
      ctx.progress.report(service_resource(s->name), "Skipped - No image to be pulled", ui::ProgressState::Done);
      continue;
    }
    const std::string& image = *s->image;
    if (options.max_age) {
      auto tagged = last_tag_time_seconds(ctx.engine, image);
      auto now = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
      // Not due yet: nothing to say, as docker compose's up says nothing.
      if (tagged && *tagged != std::numeric_limits<std::int64_t>::min() && now - *tagged < options.max_age->count())
        continue;
    } else {
      const std::string& policy = options.policy.empty() ? s->pull_policy : options.policy;
      if (options.policy.empty() && (policy == "never" || policy == "build")) {
        ctx.progress.report(image_resource(image), "Skipped", ui::ProgressState::Done);
        continue;
      }
      if ((policy == "missing" || policy == "if_not_present") && image_present(ctx.engine, image)) {
        ctx.progress.report(image_resource(image), "Skipped - Image is already present locally", ui::ProgressState::Done);
        continue;
      }
    }
    if (s->has_build && options.ignore_buildable) {
      ctx.progress.report(image_resource(image), "Skipped - Image can be built", ui::ProgressState::Done);
      continue;
    }
    if (!images_seen.insert(image).second) continue;  // another service pulls it
    pulls.push_back({s, image});
  }
  if (pulls.empty()) return;
  if (ctx.dry_run) return print_dry_run(pulls, "pull", ctx);

  auto failures = transfer_each(
      pulls, {"Pulling", "Pulled", "pull", "pulling"}, ctx,
      [&](const Transfer& t, const std::string& registry_auth, engine::CancelToken& cancel) {
        engine::PullOptions request;
        request.registry_auth = registry_auth;
        if (auto platform = t.service->json->find("platform");
            platform != t.service->json->end() && platform->is_string())
          request.platform = platform->get<std::string>();
        ctx.engine.pull_image(t.image, request, layer_progress(ctx, t.image, options.quiet), &cancel);
      },
      [](const Transfer& t) {
        // An image the service can build: docker compose says to build it.
        return t.service->has_build ? FailureLook{"Warning", ui::ProgressState::Warning}
                                    : FailureLook{"Error", ui::ProgressState::Error};
      });
  std::vector<std::string> must_build;
  for (const auto* t : failures.failed)
    if (t->service->has_build) must_build.push_back(t->service->name);
  if (!must_build.empty()) {
    std::sort(must_build.begin(), must_build.end());
    ctx.progress.message("WARNING: Some service image(s) must be built from source by running:\n    berth build " +
                         joined(must_build, " "));
  }
  throw_transfer_errors(failures.first_kind, std::move(failures.errors), options.ignore_pull_failures);
}

void push_images(const model::Project& project, const PushOptions& options, const RunContext& ctx) {
  std::vector<Transfer> pushes;
  std::set<std::string> seen;
  for (const auto* s : selected_services(project, options.services, options.include_deps)) {
    if (!s->has_build || !s->image) {
      ctx.progress.report(service_resource(s->name), "Skipped", ui::ProgressState::Done,
             s->image ? "no build section" : "no image name");
      continue;
    }
    std::vector<std::string> tags = {*s->image};
    if (auto build = s->json->find("build"); build != s->json->end() && build->is_object())
      if (auto t = build->find("tags"); t != build->end() && t->is_array())
        for (const auto& tag : *t)
          if (tag.is_string()) tags.push_back(tag.get<std::string>());
    for (const auto& tag : tags)
      if (seen.insert(tag).second) pushes.push_back({s, tag});
  }
  if (pushes.empty()) return;
  if (ctx.dry_run) return print_dry_run(pushes, "push", ctx);

  auto failures = transfer_each(
      pushes, {"Pushing", "Pushed", "push", "pushing"}, ctx,
      [&](const Transfer& t, const std::string& registry_auth, engine::CancelToken& cancel) {
        ctx.engine.push_image(t.image, registry_auth, layer_progress(ctx, t.image, options.quiet), &cancel);
      },
      [&](const Transfer&) {
        return FailureLook{"Error", options.ignore_push_failures ? ui::ProgressState::Warning : ui::ProgressState::Error};
      });
  throw_transfer_errors(failures.first_kind, std::move(failures.errors), options.ignore_push_failures);
}

}  // namespace berth::service
