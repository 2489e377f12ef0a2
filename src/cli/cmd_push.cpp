#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/images.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {

void register_push(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("push", "Push service images");
  auto o = std::make_shared<exec::PushOptions>();
  cmd->add_flag("--ignore-push-failures", o->ignore_push_failures, "Push what it can and ignores images with push failures");
  cmd->add_flag("-q,--quiet", o->quiet, "Push without printing progress information");
  cmd->add_option("service", o->services, "Services to push (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] {
    auto project = load_project(*global, o->services, ProjectFiles::Required);
    LifecycleSession session(*global, o->quiet ? SessionOutput::Quiet : SessionOutput::Progress);
    session.run([&] { exec::push(project, *o, session.context()); });
  });
}

}  // namespace berth::cli
