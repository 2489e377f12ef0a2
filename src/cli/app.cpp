#include "app.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "berth/service/global_options.h"
#include "berth/util/error.h"
#include "command_line.h"
#include "docker_plugin.h"

namespace berth::cli {
namespace {

void add_global_flags(CLI::App& app, GlobalOptions& g) {
  auto& p = g.project;
  app.add_option("-f,--file", p.files, "Compose configuration files")
      ->envname("")  // COMPOSE_FILE is split by the loader, not CLI11
      ->type_name("FILE");
  app.add_option("-p,--project-name", p.project_name, "Project name");
  app.add_option("--project-directory", p.project_directory,
                 "Alternate working directory (default: the first compose file's directory)");
  app.add_option("--profile", p.profiles, "Profile to enable")->type_name("PROFILE");
  app.add_option("--env-file", p.env_files, "Alternate environment file")->type_name("PATH");
  app.add_option("--progress", g.progress, "Type of progress output")
      ->check(CLI::IsMember({"auto", "tty", "plain", "json", "quiet"}))
      ->envname("COMPOSE_PROGRESS");
  app.add_option("--ansi", g.ansi, "Control when to print ANSI control characters")
      ->check(CLI::IsMember({"never", "always", "auto"}))
      ->envname("COMPOSE_ANSI");
  app.add_option("--parallel", g.parallel, "Control max parallelism, -1 for unlimited")
      ->envname("COMPOSE_PARALLEL_LIMIT");
  app.add_flag("--dry-run", g.dry_run, "Execute command in dry run mode");
  app.add_flag("--all-resources", p.all_resources, "Include all resources, even those not used by services");
  app.add_flag("--compatibility", g.compatibility, "Run compose in backward compatibility mode");
  app.add_option("--security", g.security, "Security level: compat, standard (default), strict")
      ->check(CLI::IsMember({"compat", "standard", "strict"}))
      ->envname("BERTH_SECURITY");
  app.add_option("--env", p.environment, "Environment to run in: x-berth.environments.NAME of the compose file")
      ->type_name("NAME")
      ->envname("BERTH_ENV");
}

int exit_code_for(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::Usage: return 1;
    case ErrorKind::Interrupted: return 130;
    default: return 1;
  }
}

}  // namespace

int run(int argc, char** argv) {
  GlobalOptions global;
  int exit_code = 0;
  CommandContext ctx{global, exit_code};

  CLI::App app{"berth: run multi-container applications defined in compose files", "berth"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags may also follow the command name
  add_global_flags(app, global);

  register_version(app, ctx);
  register_config(app, ctx);
  register_up(app, ctx);
  register_create(app, ctx);
  register_start(app, ctx);
  register_stop(app, ctx);
  register_restart(app, ctx);
  register_kill(app, ctx);
  register_pause(app, ctx);
  register_unpause(app, ctx);
  register_rm(app, ctx);
  register_down(app, ctx);
  register_ps(app, ctx);
  register_ls(app, ctx);
  register_scale(app, ctx);
  register_wait(app, ctx);
  register_audit(app, ctx);
  register_logs(app, ctx);
  register_exec(app, ctx);
  register_top(app, ctx);
  register_port(app, ctx);
  register_commit(app, ctx);
  register_export(app, ctx);
  register_watch(app, ctx);
  register_stack(app, ctx);
  register_events(app, ctx);
  register_attach(app, ctx);
  register_run(app, ctx);
  register_cp(app, ctx);
  register_stats(app, ctx);
  register_volumes(app, ctx);
  register_help(app, ctx);
  register_complete(app, ctx);
  register_init(app, ctx);
  register_pull(app, ctx);
  register_push(app, ctx);
  register_images(app, ctx);
  register_build(app, ctx);

  try {
    // As a docker CLI plugin: the metadata docker asks for, and docker's
    // own flags and the plugin's name before berth's arguments.
    std::vector<std::string> words(argv, argv + argc);
    if (words.size() == 2 && words[1] == "docker-cli-plugin-metadata") {
      std::cout << docker_plugin_metadata() << "\n";
      return 0;
    }
    if (!words.empty() && running_as_docker_plugin(words[0])) words = plugin_arguments(words);
    std::vector<char*> word_pointers;
    for (auto& w : words) word_pointers.push_back(w.data());
    // CLI11 reads the words last to first.
    std::vector<std::string> args =
        checked_arguments(app, static_cast<int>(word_pointers.size()), word_pointers.data());
    std::reverse(args.begin(), args.end());
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    app.exit(e);
    return 1;
  } catch (const Error& e) {
    std::cerr << "berth: " << e.what() << "\n";
    return exit_code_for(e);
  } catch (const std::exception& e) {
    std::cerr << "berth: internal error: " << e.what() << "\n";
    return 1;
  }
  return exit_code;
}

}  // namespace berth::cli
