// build, pull and push: the image commands.
#include <CLI/CLI.hpp>

#include "berth/service/images.h"
#include "berth/util/error.h"
#include "app.h"

namespace berth::cli {

void register_build(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("build", "Build or rebuild services");
  struct Flags {
    service::BuildOptions options;
    std::vector<std::string> build_args;  // KEY=VALUE, or KEY to take it from the environment
    // docker compose flags berth does not have: set means refuse by name.
    std::vector<std::pair<std::string, std::string>> unsupported;  // flag, why
  };
  auto f = std::make_shared<Flags>();
  auto& o = f->options;
  cmd->add_flag("--no-cache", o.overrides.no_cache, "Do not use cache when building the image");
  cmd->add_flag("--pull", o.overrides.pull, "Always attempt to pull a newer version of the image");
  cmd->add_option("--build-arg", f->build_args, "Set build-time variables for services")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  cmd->add_flag("-q,--quiet", o.quiet, "Don't print anything to STDOUT");
  cmd->add_flag("--with-dependencies", o.with_dependencies, "Also build dependencies (transitively)");
  cmd->add_flag("--push", o.push, "Push service images");
  cmd->add_option("--ssh", o.overrides.ssh,
                  "Set SSH authentications used when building service images. (use 'default' for using your default "
                  "SSH Agent)")
      ->type_name("ID[=PATH,...]")
      ->allow_extra_args(false);
  // Flags of docker compose build that berth lacks: accepted by the parser
  // so the error can name them.
  auto refuse = [&](const std::string& names, const std::string& flag, const std::string& why, bool takes_value) {
    auto record = [f, flag, why] { f->unsupported.emplace_back(flag, why); };
    if (takes_value)
      cmd->add_option_function<std::string>(names, [record](const std::string&) { record(); }, "Not supported: " + why);
    else
      cmd->add_flag_callback(names, record, "Not supported: " + why);
  };
  const std::string attestations = "attestations need buildx; the engine's build API (POST /build?version=2) cannot make them";
  refuse("--sbom", "--sbom", attestations, true);
  refuse("--provenance", "--provenance", attestations, true);
  refuse("--builder", "--builder", "berth builds with the engine's own builder (BuildKit, or the classic one); "
                                   "named builder instances are buildx's", true);
  refuse("--check", "--check", "the Dockerfile checks are a buildx feature the engine's build API does not expose", false);
  refuse("--print", "--print", "berth does not print bake definitions", false);
  refuse("-m,--memory", "--memory", "berth does not set a memory limit for builds yet", true);
  cmd->add_option("service", o.services, "Services to build (default: all with a build section)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] {
    for (const auto& [flag, why] : f->unsupported)
      throw Error(ErrorKind::Usage, "build " + flag + " is not supported: " + why);
    // --build-arg KEY takes KEY from the project's environment and is left
    // out when it has none, as docker compose does.
    std::vector<std::string> from_environment;
    for (const auto& arg : f->build_args) {
      auto eq = arg.find('=');
      std::string key = arg.substr(0, eq);
      if (key.empty()) throw Error(ErrorKind::Usage, "invalid --build-arg \"" + arg + "\": expected KEY=VALUE");
      if (eq == std::string::npos) from_environment.push_back(key);
      else f->options.overrides.build_args[key] = arg.substr(eq + 1);
    }
    service::build(*global, f->options, from_environment);
  });
}

void register_pull(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("pull", "Pull service images");
  auto o = std::make_shared<service::PullOptions>();
  cmd->add_flag("--ignore-pull-failures", o->ignore_pull_failures,
                "Pull what it can and ignores images with pull failures");
  cmd->add_flag("--ignore-buildable", o->ignore_buildable, "Ignore images that can be built");
  cmd->add_flag("--include-deps", o->include_deps, "Also pull services declared as dependencies");
  cmd->add_option("--policy", o->policy, "Apply pull policy (\"missing\"|\"always\")")
      ->check(CLI::IsMember({"missing", "always"}));
  cmd->add_flag("-q,--quiet", o->quiet, "Pull without printing progress information");
  cmd->add_option("service", o->services, "Services to pull (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::pull(*global, *o); });
}

void register_push(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("push", "Push service images");
  auto o = std::make_shared<service::PushOptions>();
  cmd->add_flag("--ignore-push-failures", o->ignore_push_failures,
                "Push what it can and ignores images with push failures");
  cmd->add_flag("--include-deps", o->include_deps, "Also push images of services declared as dependencies");
  cmd->add_flag("-q,--quiet", o->quiet, "Push without printing progress information");
  cmd->add_option("service", o->services, "Services to push (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::push(*global, *o); });
}

}  // namespace berth::cli
