#pragma once
// Engine JSON → the typed results of types.h. Missing or null fields leave
// defaults: the engine omits fields freely across API versions.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "berth/engine/types.h"

namespace berth::engine {

// Podman reports "stopped" for a container that exited and is not cleaned up
// yet (it says "exited" a moment later); dockerd's word for both is "exited".
std::string docker_state(std::string state);

// Podman 4's compatible API splits the arguments of a ["CMD", ...]
// healthcheck at spaces (["CMD", "sh", "-c", "a b"] becomes "sh -c a b");
// it keeps a CMD-SHELL string whole. A CMD test with an argument holding
// whitespace becomes the equivalent CMD-SHELL line, each argument quoted;
// any other test is returned as it is.
nlohmann::json healthcheck_test_for_podman(const nlohmann::json& test);

VersionInfo version_from_json(const nlohmann::json& json);
ContainerSummary container_summary_from_json(const nlohmann::json& json);
ImageSummary image_summary_from_json(const nlohmann::json& json);
NetworkSummary network_summary_from_json(const nlohmann::json& json);
VolumeSummary volume_summary_from_json(const nlohmann::json& json);
Event event_from_json(const nlohmann::json& json);
ProgressMessage progress_from_json(const nlohmann::json& json);
ExecInspectResult exec_inspect_from_json(const nlohmann::json& json);
TopResult top_from_json(const nlohmann::json& json);

}  // namespace berth::engine
