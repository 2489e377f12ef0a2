#pragma once
// The berth command line: global flags, one sub-command per docker compose
// command, and the mapping from errors to exit codes.

namespace CLI {
class App;
}

namespace berth::cli {

struct GlobalOptions;

int run(int argc, char** argv);

// Each command lives in its own file and registers itself here. The callback
// it installs may set `exit_code` (e.g. `run` propagating a container's code).
struct CommandContext {
  GlobalOptions& global;
  int& exit_code;
};

void register_version(CLI::App& app, CommandContext& ctx);
void register_config(CLI::App& app, CommandContext& ctx);

}  // namespace berth::cli
