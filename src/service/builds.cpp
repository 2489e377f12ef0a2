// `berth build` and the builds of up/create/run: each distinct image built
// once by the engine (BuildKit, or the classic builder: builder::run_build),
// in parallel, its output shown line by line, errors naming the service and
// showing the failing step.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <set>

#include "berth/builder/classic_build.h"
#include "berth/builder/run_build.h"
#include "berth/engine/api_version.h"
#include "berth/engine/cancel_token.h"
#include "berth/engine/engine.h"
#include "berth/model/project.h"
#include "berth/service/images.h"
#include "berth/ui/progress.h"
#include "berth/util/error.h"
#include "image_builds.h"
#include "parallel_each.h"
#include "session.h"

namespace berth::service {
namespace {

void report_step(ui::ProgressSink& progress, const std::string& service, const builder::BuildStep& step) {
  using State = builder::BuildStep::State;
  const std::string number = "#" + std::to_string(step.number);
  if (step.state == State::Output) {
    progress.output(service, number + " " + step.text);
    return;
  }
  ui::ProgressEvent e;
  e.resource = number + " " + step.name;
  e.parent = service;
  switch (step.state) {
    case State::Running: e.status = "Running"; e.state = ui::ProgressState::Working; break;
    case State::Cached: e.status = "Cached"; e.state = ui::ProgressState::Done; break;
    case State::Done: {
      char took[32];
      std::snprintf(took, sizeof took, "Done %.1fs", step.seconds);
      e.status = took;
      e.state = ui::ProgressState::Done;
      break;
    }
    case State::Error: e.status = "Error"; e.state = ui::ProgressState::Error; e.detail = step.text; break;
    case State::Output: break;
  }
  progress.event(e);
}

}  // namespace

std::map<std::string, std::string> build_services(const model::Project& project,
                                                  const std::vector<const model::Service*>& services,
                                                  const BuildOptions& options, const RunContext& ctx) {
  std::optional<engine::VersionInfo> version;
  auto engine_version = [&]() -> const engine::VersionInfo& {
    if (!version) version = ctx.engine.version();
    return *version;
  };
  auto engine_platform = [&] { return engine_version().os + "/" + engine_version().arch; };
  std::vector<builder::BuildJob> jobs;
  std::set<std::string> images;
  for (const auto* service : services) {
    // Every Linux Docker engine berth speaks to (API 1.41 and later) has
    // BuildKit; Podman's compatible API builds with buildah and has no
    // build sessions.
    builder::EngineBuildKit buildkit;
    buildkit.offered = ctx.dry_run || (engine_version().os == "linux" && !engine_version().podman);
    buildkit.takes_limits =
        ctx.dry_run || engine::compare_api_versions(engine_version().api_version, "1.42") >= 0;
    auto choice = builder::choose_builder(*service, project.environment, buildkit);
    if (!choice.note.empty()) ctx.progress.message("service \"" + service->name + "\": " + choice.note);
    auto job = builder::build_job(project, *service, options.overrides, choice.builder, engine_platform);
    if (images.insert(job.image).second) jobs.push_back(std::move(job));
  }
  std::map<std::string, std::string> built;
  if (jobs.empty()) return built;
  if (ctx.dry_run) {
    for (const auto& job : jobs)
      ctx.progress.message("DRY-RUN build service " + job.service->name + " (image " + job.image + ")");
    return built;
  }

  engine::CancelToken cancel;
  std::mutex mutex;
  std::vector<std::string> errors;
  std::optional<ErrorKind> first_kind;
  parallel_each(jobs.size(), ctx.parallelism, ctx, cancel, [&](size_t i) {
    auto& job = jobs[i];
    const std::string resource = "Service " + job.service->name;
    ctx.progress.report(resource, "Building", ui::ProgressState::Working);
    auto on_line = [&](const std::string& line) {
      if (!options.quiet) ctx.progress.output(resource, line);
    };
    // tty and json show BuildKit's steps nested under the service, plain
    // prints buildx's lines.
    std::function<void(const builder::BuildStep&)> on_step;
    if (ctx.progress.shows_steps() && !options.quiet)
      on_step = [&](const builder::BuildStep& step) { report_step(ctx.progress, resource, step); };
    std::string failure_tail;
    try {
      auto id = builder::run_build(ctx.engine, job, on_line, on_step, &cancel, &failure_tail);
      ctx.progress.report(resource, "Built", ui::ProgressState::Done);
      std::lock_guard lock(mutex);
      built[job.image] = id;
    } catch (const Error& e) {
      const bool interrupted = e.kind() == ErrorKind::Interrupted;
      std::string message = interrupted ? "build interrupted" : "building " + job.image + " failed: " + e.message();
      ctx.progress.report(resource, interrupted ? "Interrupted" : "Error",
                          interrupted ? ui::ProgressState::Warning : ui::ProgressState::Error, message);
      if (!interrupted) message += failure_tail;
      std::lock_guard lock(mutex);
      if (!first_kind || interrupted) first_kind = e.kind();
      errors.push_back("service \"" + job.service->name + "\": " + message);
    }
  });
  if (first_kind == ErrorKind::Interrupted) throw Error(ErrorKind::Interrupted, "interrupted");
  if (!errors.empty()) {
    std::sort(errors.begin(), errors.end());
    std::string text;
    for (const auto& e : errors) text += (text.empty() ? "" : "\n") + e;
    throw Error(*first_kind == ErrorKind::NotFound ? ErrorKind::Engine : *first_kind, text);
  }
  return built;
}

void build_images(const model::Project& project, const BuildOptions& options, const RunContext& ctx) {
  std::set<std::string> names;
  if (options.services.empty()) {
    for (const auto& s : project.services) names.insert(s.name);
  } else {
    for (const auto& name : options.services)
      if (!project.find_service(name)) throw Error(ErrorKind::Usage, "no such service: " + name);
    names = options.with_dependencies ? project.with_dependencies(options.services)
                                      : std::set<std::string>(options.services.begin(), options.services.end());
  }
  std::vector<const model::Service*> services;
  for (const auto& name : names)
    if (const auto* s = project.find_service(name); s && s->has_build) services.push_back(s);
  build_services(project, services, options, ctx);
}

}  // namespace berth::service
