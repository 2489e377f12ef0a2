// Networks and volumes.
#include <nlohmann/json.hpp>

#include "berth/engine/docker_engine.h"
#include "http_exchange.h"
#include "json_convert.h"
#include "query_string.h"

namespace berth::engine {

std::vector<NetworkSummary> DockerEngine::list_networks(const Filters& filters) {
  QueryString query;
  query.add_filters(filters);
  auto json = get_json("/networks" + query.str(), "the network list");
  std::vector<NetworkSummary> out;
  for (const auto& item : json) out.push_back(network_summary_from_json(item));
  return out;
}

nlohmann::json DockerEngine::inspect_network(const std::string& id) {
  return get_json("/networks/" + path_escape(id), "a network");
}

std::string DockerEngine::create_network(const std::string& name, const nlohmann::json& body) {
  nlohmann::json full = body.is_object() ? body : nlohmann::json::object();
  full["Name"] = name;
  // Without it engines before API 1.44 happily create a second network with
  // the same name.
  if (!full.contains("CheckDuplicate")) full["CheckDuplicate"] = true;
  auto request = json_request("POST", versioned("/networks/create"), full);
  return parse_json(exchange(*transport_, request).body, "a created network").value("Id", "");
}

void DockerEngine::remove_network(const std::string& id) { simple_call("DELETE", "/networks/" + path_escape(id)); }

void DockerEngine::connect_network(const std::string& network, const std::string& container,
                                   const nlohmann::json& endpoint_config) {
  nlohmann::json body = {{"Container", container}};
  if (endpoint_config.is_object()) body["EndpointConfig"] = endpoint_config;
  auto request = json_request("POST", versioned("/networks/" + path_escape(network) + "/connect"), body);
  exchange(*transport_, request);
}

void DockerEngine::disconnect_network(const std::string& network, const std::string& container, bool force) {
  nlohmann::json body = {{"Container", container}, {"Force", force}};
  auto request = json_request("POST", versioned("/networks/" + path_escape(network) + "/disconnect"), body);
  exchange(*transport_, request);
}

std::vector<VolumeSummary> DockerEngine::list_volumes(const Filters& filters) {
  QueryString query;
  query.add_filters(filters);
  auto json = get_json("/volumes" + query.str(), "the volume list");
  std::vector<VolumeSummary> out;
  if (auto volumes = json.find("Volumes"); volumes != json.end() && volumes->is_array())
    for (const auto& item : *volumes) out.push_back(volume_summary_from_json(item));
  return out;
}

nlohmann::json DockerEngine::inspect_volume(const std::string& name) {
  return get_json("/volumes/" + path_escape(name), "a volume");
}

VolumeSummary DockerEngine::create_volume(const std::string& name, const nlohmann::json& body) {
  nlohmann::json full = body.is_object() ? body : nlohmann::json::object();
  full["Name"] = name;
  auto request = json_request("POST", versioned("/volumes/create"), full);
  return volume_summary_from_json(parse_json(exchange(*transport_, request).body, "a created volume"));
}

void DockerEngine::remove_volume(const std::string& name, bool force) {
  QueryString query;
  query.add_flag("force", force);
  simple_call("DELETE", "/volumes/" + path_escape(name) + query.str());
}

}  // namespace berth::engine
