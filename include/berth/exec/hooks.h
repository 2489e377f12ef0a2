#pragma once
// compose's lifecycle hooks (post_start, pre_stop) and a watch rule's exec:
// one command run as an exec in a container, waited for. The hook is its
// canonical JSON: {command: [words], user, privileged, working_dir,
// environment: {NAME: value}}.
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace berth::engine {
class Engine;
}

namespace berth::exec {

struct HookResult {
  int exit_code = 0;
  std::string last_output;  // its last lines (stdout and stderr), for an error
};

// Throws berth::Error for what the engine refuses (Conflict: the container
// is not running). `on_line` sees each output line as it arrives.
HookResult run_hook(engine::Engine& engine, const std::string& container_id, const nlohmann::json& hook,
                    const std::function<void(std::string_view line)>& on_line = {});

// `which` `command` exited with status N, then the last output: e.g.
// "post_start hook `sh -c exit 3` exited with status 3; its last output: ...".
std::string describe_hook_failure(const std::string& which, const nlohmann::json& hook, const HookResult& result);

}  // namespace berth::exec
