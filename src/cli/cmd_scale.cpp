#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/operations.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"
#include "cli/scale_arguments.h"

namespace berth::cli {

void register_scale(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("scale", "Scale services");
  struct Flags {
    std::vector<std::string> arguments;
    bool no_deps = false;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_flag("--no-deps", f->no_deps, "Don't start linked services");
  cmd->add_option("SERVICE=REPLICAS", f->arguments, "Services and their replica counts")->required();
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] {
    auto replicas = parse_scale_arguments(f->arguments);
    std::vector<std::string> services;
    for (const auto& [service, _] : replicas) services.push_back(service);
    auto project = load_project(*global, services, ProjectFiles::Required);
    LifecycleSession session(*global);
    session.run([&] {
      prepare_for_containers(project, services, f->no_deps, {}, session.context(), *global);
      exec::scale(project, replicas, f->no_deps, session.context());
    });
  });
}

}  // namespace berth::cli
