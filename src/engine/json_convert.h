#pragma once
// Engine JSON → the typed results of types.h. Missing or null fields leave
// defaults: the engine omits fields freely across API versions.
#include <nlohmann/json_fwd.hpp>

#include "berth/engine/types.h"

namespace berth::engine {

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
