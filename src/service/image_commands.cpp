// `berth build`, `pull` and `push`.
#include "berth/model/project.h"
#include "berth/service/images.h"
#include "berth/util/error.h"
#include "image_builds.h"
#include "project_loading.h"
#include "session.h"

namespace berth::service {

void build(const GlobalOptions& global, BuildOptions options,
           const std::vector<std::string>& build_args_from_environment) {
  auto project = load_project(global, options.services, ProjectFiles::Required);
  for (const auto& key : build_args_from_environment)
    if (auto it = project.environment.find(key); it != project.environment.end())
      options.overrides.build_args[key] = it->second;
  Session session(global, options.quiet ? SessionOutput::Quiet : SessionOutput::Progress);
  session.run([&] {
    build_images(project, options, session.context());
    if (options.push) {
      PushOptions push;
      push.services = options.services;
      push.quiet = options.quiet;
      push_images(project, push, session.context());
    }
  });
}

void pull(const GlobalOptions& global, const PullOptions& options) {
  auto project = load_project(global, options.services, ProjectFiles::Required);
  Session session(global, options.quiet ? SessionOutput::Quiet : SessionOutput::Progress);
  session.run([&] { pull_images(project, options, session.context()); });
}

void push(const GlobalOptions& global, const PushOptions& options) {
  auto project = load_project(global, options.services, ProjectFiles::Required);
  Session session(global, options.quiet ? SessionOutput::Quiet : SessionOutput::Progress);
  session.run([&] { push_images(project, options, session.context()); });
}

}  // namespace berth::service
