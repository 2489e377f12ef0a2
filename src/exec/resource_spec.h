#pragma once
// The model of a network or volume -> the body of the engine's create call
// (POST /networks/create, POST /volumes/create), with the labels docker
// compose gives them (project, network/volume key, version; networks also
// berth's config hash, see model::network_config_hash).
#include <nlohmann/json_fwd.hpp>

namespace berth::model {
struct Project;
struct Resource;
}  // namespace berth::model

namespace berth::exec {

nlohmann::json network_create_body(const model::Project& project, const model::Resource& network);
nlohmann::json volume_create_body(const model::Project& project, const model::Resource& volume);

}  // namespace berth::exec
