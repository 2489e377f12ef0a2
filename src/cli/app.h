#pragma once
// The berth command line: global flags, one sub-command per docker compose
// command, and the mapping from errors to exit codes. Each command's file
// turns its flags into an options struct and makes one call into the
// service layer (include/berth/service/); nothing here talks to the engine.

namespace CLI {
class App;
}

namespace berth::service {
struct GlobalOptions;
}

namespace berth::cli {

using service::GlobalOptions;

int run(int argc, char** argv);

// Each command lives in its own file and registers itself here. The callback
// it installs may set `exit_code` (e.g. `run` propagating a container's code).
struct CommandContext {
  GlobalOptions& global;
  int& exit_code;
};

void register_version(CLI::App& app, CommandContext& ctx);
void register_config(CLI::App& app, CommandContext& ctx);
void register_up(CLI::App& app, CommandContext& ctx);
void register_create(CLI::App& app, CommandContext& ctx);
void register_start(CLI::App& app, CommandContext& ctx);
void register_stop(CLI::App& app, CommandContext& ctx);
void register_restart(CLI::App& app, CommandContext& ctx);
void register_kill(CLI::App& app, CommandContext& ctx);
void register_pause(CLI::App& app, CommandContext& ctx);
void register_unpause(CLI::App& app, CommandContext& ctx);
void register_rm(CLI::App& app, CommandContext& ctx);
void register_down(CLI::App& app, CommandContext& ctx);
void register_ps(CLI::App& app, CommandContext& ctx);
void register_ls(CLI::App& app, CommandContext& ctx);
void register_scale(CLI::App& app, CommandContext& ctx);
void register_wait(CLI::App& app, CommandContext& ctx);
void register_audit(CLI::App& app, CommandContext& ctx);
void register_logs(CLI::App& app, CommandContext& ctx);
void register_exec(CLI::App& app, CommandContext& ctx);
void register_top(CLI::App& app, CommandContext& ctx);
void register_port(CLI::App& app, CommandContext& ctx);
void register_commit(CLI::App& app, CommandContext& ctx);
void register_export(CLI::App& app, CommandContext& ctx);
void register_watch(CLI::App& app, CommandContext& ctx);
void register_stack(CLI::App& app, CommandContext& ctx);
void register_events(CLI::App& app, CommandContext& ctx);
void register_attach(CLI::App& app, CommandContext& ctx);
void register_run(CLI::App& app, CommandContext& ctx);
void register_cp(CLI::App& app, CommandContext& ctx);
void register_stats(CLI::App& app, CommandContext& ctx);
void register_volumes(CLI::App& app, CommandContext& ctx);
void register_help(CLI::App& app, CommandContext& ctx);      // help [COMMAND]
void register_complete(CLI::App& app, CommandContext& ctx);  // hidden __complete, for completions/
void register_init(CLI::App& app, CommandContext& ctx);
void register_pull(CLI::App& app, CommandContext& ctx);
void register_push(CLI::App& app, CommandContext& ctx);
void register_images(CLI::App& app, CommandContext& ctx);
void register_build(CLI::App& app, CommandContext& ctx);

}  // namespace berth::cli
