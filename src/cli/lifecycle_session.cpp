#include "cli/lifecycle_session.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/loader/diagnostics.h"
#include "berth/loader/environment.h"
#include "berth/loader/load.h"
#include "berth/loader/project_files.h"
#include "berth/ui/progress_mode.h"
#include "berth/ui/terminal.h"
#include "berth/util/error.h"
#include "cli/security_policy.h"

namespace berth::cli {
namespace {

std::atomic<int> signals_seen{0};

extern "C" void on_interrupt_signal(int) {
  if (signals_seen.fetch_add(1) >= 1) {
    // A second Ctrl-C: the user does not want to wait for in-flight work.
    static const char text[] = "\nberth: interrupted twice, exiting now\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, text, sizeof text - 1);
    ::_exit(130);
  }
}

void print_warnings(const loader::Diagnostics& diagnostics) {
  for (const auto& w : diagnostics.warnings()) std::cerr << "WARN[0000] " << w.to_string() << "\n";
}

// The name alone when no compose file can be found but the user named the
// project (-p / COMPOSE_PROJECT_NAME); nullopt when files were found.
std::optional<std::string> name_without_files(const GlobalOptions& global) {
  loader::Diagnostics quiet;
  try {
    loader::resolve_project(global.project, loader::process_environment(), quiet);
    return std::nullopt;
  } catch (const Error&) {
    if (!global.project.files.empty()) throw;  // an explicit -f that is missing is an error
    const auto& name = global.project.project_name;
    if (name && !name->empty()) {
      if (!loader::is_valid_project_name(*name))
        throw Error(ErrorKind::Usage, "invalid project name \"" + *name +
                                          "\": must consist only of lowercase alphanumeric characters, "
                                          "hyphens and underscores as well as start with a letter or number");
      return *name;
    }
    auto env = loader::process_environment();
    auto it = env.find("COMPOSE_PROJECT_NAME");
    if (it != env.end() && !it->second.empty() && loader::is_valid_project_name(it->second))
      return it->second;
    throw;
  }
}

}  // namespace

model::Project load_project(const GlobalOptions& global, const std::vector<std::string>& services,
                            ProjectFiles files) {
  if (files == ProjectFiles::Optional) {
    if (auto name = name_without_files(global)) {
      model::Project project;
      project.name = *name;
      return project;
    }
  }
  loader::Diagnostics diagnostics;
  loader::LoadOptions options;
  options.services = services;
  model::Project project;
  try {
    project = loader::load(global.project, diagnostics, options);
  } catch (...) {
    print_warnings(diagnostics);
    throw;
  }
  print_warnings(diagnostics);
  for (const auto& name : services)
    if (!project.find_service(name)) throw Error(ErrorKind::Usage, "no such service: " + name);
  return project;
}

void prepare_for_containers(model::Project& project, const std::vector<std::string>& services, bool no_deps,
                            const exec::ImageOptions& images, const exec::RunContext& ctx,
                            const GlobalOptions& global) {
  std::vector<std::string> needed;
  if (!services.empty()) {
    if (no_deps) needed = services;
    else
      for (const auto& name : project.with_dependencies(services)) needed.push_back(name);
  }
  // A file the policy refuses whatever the images are fails before a long build.
  check_security_policy_before_images(project, global);
  exec::ensure_images(project, needed, images, ctx);
  // Only commands that create containers apply the policy; the others (down,
  // stop, ps...) must keep working on a file the policy would refuse.
  apply_security_policy(project, global);
}

InterruptGuard::InterruptGuard() {
  signals_seen = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

bool InterruptGuard::interrupted() { return signals_seen.load() > 0; }

std::unique_ptr<engine::DockerEngine> connect_engine() { return engine::DockerEngine::from_environment(); }

namespace {

std::unique_ptr<ui::ProgressSink> make_progress(const GlobalOptions& global, SessionOutput output) {
  auto mode = output == SessionOutput::Quiet ? ui::ProgressMode::Quiet : ui::parse_progress_mode(global.progress);
  const bool terminal = ui::is_terminal(STDERR_FILENO);
  if (mode == ui::ProgressMode::Auto && global.ansi == "never") mode = ui::ProgressMode::Plain;
  ui::ProgressTarget target{std::cerr, terminal, ui::terminal_width(STDERR_FILENO), global.ansi != "never"};
  return ui::make_progress_sink(mode, target);
}

}  // namespace

LifecycleSession::LifecycleSession(const GlobalOptions& global, SessionOutput output)
    : engine_(connect_engine()),
      progress_(make_progress(global, output)),
      context_{*engine_, *progress_, global.parallel, global.dry_run, &InterruptGuard::interrupted} {}

LifecycleSession::~LifecycleSession() = default;

void LifecycleSession::run(const std::function<void()>& operation) {
  try {
    operation();
  } catch (...) {
    progress_->finish();
    throw;
  }
  progress_->finish();
  if (InterruptGuard::interrupted())
    throw Error(ErrorKind::Interrupted,
                "interrupted before all work was done; run the command again to converge");
}

}  // namespace berth::cli
