#pragma once
// Label keys berth writes on engine objects. The com.docker.compose.* keys are
// the ones docker compose uses, so either tool can see the other's stacks.
namespace berth::model::labels {

inline constexpr const char* kProject = "com.docker.compose.project";
inline constexpr const char* kService = "com.docker.compose.service";
inline constexpr const char* kContainerNumber = "com.docker.compose.container-number";
inline constexpr const char* kOneoff = "com.docker.compose.oneoff";
inline constexpr const char* kConfigHash = "com.docker.compose.config-hash";
inline constexpr const char* kWorkingDir = "com.docker.compose.project.working_dir";
inline constexpr const char* kConfigFiles = "com.docker.compose.project.config_files";
inline constexpr const char* kEnvironmentFile = "com.docker.compose.project.environment_file";
inline constexpr const char* kVersion = "com.docker.compose.version";
inline constexpr const char* kNetwork = "com.docker.compose.network";
inline constexpr const char* kVolume = "com.docker.compose.volume";
inline constexpr const char* kDependsOn = "com.docker.compose.depends_on";
inline constexpr const char* kImage = "com.docker.compose.image";
inline constexpr const char* kReplace = "com.docker.compose.replace";

// berth's own labels.
inline constexpr const char* kBerthPrefix = "dev.berth.";
inline constexpr const char* kBerthPolicy = "dev.berth.policy";
inline constexpr const char* kBerthVersion = "dev.berth.version";

}  // namespace berth::model::labels
