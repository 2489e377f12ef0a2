#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/images.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {

void register_pull(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("pull", "Pull service images");
  auto o = std::make_shared<exec::PullOptions>();
  cmd->add_flag("--ignore-pull-failures", o->ignore_pull_failures, "Pull what it can and ignores images with pull failures");
  cmd->add_flag("--ignore-buildable", o->ignore_buildable, "Ignore images that can be built");
  cmd->add_flag("--include-deps", o->include_deps, "Also pull services declared as dependencies");
  cmd->add_option("--policy", o->policy, "Apply pull policy (\"missing\"|\"always\")")
      ->check(CLI::IsMember({"missing", "always"}));
  cmd->add_flag("-q,--quiet", o->quiet, "Pull without printing progress information");
  cmd->add_option("service", o->services, "Services to pull (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] {
    auto project = load_project(*global, o->services, ProjectFiles::Required);
    LifecycleSession session(*global, o->quiet ? SessionOutput::Quiet : SessionOutput::Progress);
    session.run([&] { exec::pull(project, *o, session.context()); });
  });
}

}  // namespace berth::cli
