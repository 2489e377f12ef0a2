// The lifecycle commands over existing containers: each loads the project
// (the engine's labels suffice with -p and no file) and runs one operation
// in a session.
#include "berth/model/project.h"
#include "berth/service/lifecycle.h"
#include "operations.h"
#include "project_loading.h"
#include "session.h"

namespace berth::service {
namespace {

template <class Operation>
void on_existing(const GlobalOptions& global, const std::vector<std::string>& services, Operation&& operation) {
  auto project = load_project(global, services, ProjectFiles::Optional);
  Session session(global);
  session.run([&] { operation(project, session.context()); });
}

}  // namespace

void down(const GlobalOptions& global, const plan::DownPlanOptions& options) {
  on_existing(global, {}, [&](const model::Project& p, const RunContext& ctx) { down(p, options, ctx); });
}

void start(const GlobalOptions& global, const StartOptions& options) {
  on_existing(global, options.services, [&](const model::Project& p, const RunContext& ctx) { start(p, options, ctx); });
}

void stop(const GlobalOptions& global, const std::vector<std::string>& services, std::optional<int> timeout_seconds) {
  on_existing(global, services,
              [&](const model::Project& p, const RunContext& ctx) { stop(p, services, timeout_seconds, ctx); });
}

void restart(const GlobalOptions& global, const std::vector<std::string>& services,
             std::optional<int> timeout_seconds, bool no_deps) {
  on_existing(global, services, [&](const model::Project& p, const RunContext& ctx) {
    restart(p, services, timeout_seconds, no_deps, ctx);
  });
}

void kill(const GlobalOptions& global, const std::vector<std::string>& services, const std::string& signal,
          bool remove_orphans) {
  on_existing(global, services, [&](const model::Project& p, const RunContext& ctx) {
    kill(p, services, signal, remove_orphans, ctx);
  });
}

void pause(const GlobalOptions& global, const std::vector<std::string>& services) {
  on_existing(global, services, [&](const model::Project& p, const RunContext& ctx) { pause(p, services, ctx); });
}

void unpause(const GlobalOptions& global, const std::vector<std::string>& services) {
  on_existing(global, services, [&](const model::Project& p, const RunContext& ctx) { unpause(p, services, ctx); });
}

void remove(const GlobalOptions& global, const std::vector<std::string>& services,
            const plan::RemovePlanOptions& options) {
  on_existing(global, services,
              [&](const model::Project& p, const RunContext& ctx) { remove(p, services, options, ctx); });
}

int wait(const GlobalOptions& global, const std::vector<std::string>& services, bool down_project) {
  int code = 0;
  on_existing(global, services, [&](const model::Project& p, const RunContext& ctx) {
    code = wait(p, services, down_project, ctx);
  });
  return code;
}

}  // namespace berth::service
