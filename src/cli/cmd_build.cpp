#include <CLI/CLI.hpp>

#include "berth/cli/global_options.h"
#include "berth/exec/images.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {
namespace {

struct BuildFlags {
  exec::BuildOptions options;
  std::vector<std::string> build_args;  // KEY=VALUE, or KEY to take it from the environment
  bool push = false;
  // docker compose flags berth does not have: set means refuse by name.
  std::vector<std::pair<std::string, std::string>> unsupported;  // flag, why
};

// `--build-arg KEY` takes KEY from the project's environment and is left out
// when it has none, as docker compose does.
std::map<std::string, std::string> parse_build_args(const std::vector<std::string>& args,
                                                    const std::map<std::string, std::string>& environment) {
  std::map<std::string, std::string> out;
  for (const auto& arg : args) {
    auto eq = arg.find('=');
    std::string key = arg.substr(0, eq);
    if (key.empty()) throw Error(ErrorKind::Usage, "invalid --build-arg \"" + arg + "\": expected KEY=VALUE");
    if (eq != std::string::npos) {
      out[key] = arg.substr(eq + 1);
    } else if (auto it = environment.find(key); it != environment.end()) {
      out[key] = it->second;
    }
  }
  return out;
}

void run_build(BuildFlags& f, const GlobalOptions& global) {
  for (const auto& [flag, why] : f.unsupported)
    throw Error(ErrorKind::Usage, "build " + flag + " is not supported: " + why);
  auto project = load_project(global, f.options.services, ProjectFiles::Required);
  f.options.build_args = parse_build_args(f.build_args, project.environment);
  LifecycleSession session(global, f.options.quiet ? SessionOutput::Quiet : SessionOutput::Progress);
  session.run([&] {
    exec::build(project, f.options, session.context());
    if (f.push) {
      exec::PushOptions push;
      push.services = f.options.services;
      push.quiet = f.options.quiet;
      exec::push(project, push, session.context());
    }
  });
}

}  // namespace

void register_build(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("build", "Build or rebuild services");
  auto f = std::make_shared<BuildFlags>();
  cmd->add_flag("--no-cache", f->options.no_cache, "Do not use cache when building the image");
  cmd->add_flag("--pull", f->options.pull, "Always attempt to pull a newer version of the image");
  cmd->add_option("--build-arg", f->build_args, "Set build-time variables for services")->type_name("KEY=VALUE");
  cmd->add_flag("-q,--quiet", f->options.quiet, "Don't print anything to STDOUT");
  cmd->add_flag("--with-dependencies", f->options.with_dependencies,
                "Also build dependencies (transitively)");
  cmd->add_flag("--push", f->push, "Push service images");
  // Flags of docker compose build that need BuildKit or that berth lacks:
  // accepted by the parser so the error can name them.
  auto refuse = [&](const std::string& names, const std::string& flag, const std::string& why, bool takes_value) {
    auto record = [f, flag, why] { f->unsupported.emplace_back(flag, why); };
    if (takes_value)
      cmd->add_option_function<std::string>(names, [record](const std::string&) { record(); }, "Not supported: " + why);
    else
      cmd->add_flag_callback(names, record, "Not supported: " + why);
  };
  const std::string buildkit = "it needs BuildKit; berth builds with the engine's classic builder (POST /build)";
  refuse("--ssh", "--ssh", buildkit, true);
  refuse("--sbom", "--sbom", buildkit, true);
  refuse("--provenance", "--provenance", buildkit, true);
  refuse("--builder", "--builder", buildkit, true);
  refuse("--check", "--check", buildkit, false);
  refuse("--print", "--print", "berth does not print bake definitions", false);
  refuse("-m,--memory", "--memory", "berth does not set a memory limit for builds yet", true);
  cmd->add_option("service", f->options.services, "Services to build (default: all with a build section)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { run_build(*f, *global); });
}

}  // namespace berth::cli
