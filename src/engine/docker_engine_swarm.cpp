// Swarm mode: membership, services, tasks, nodes, secrets and configs.
#include <nlohmann/json.hpp>

#include "berth/engine/docker_engine.h"
#include "http_exchange.h"
#include "json_convert.h"
#include "query_string.h"

namespace berth::engine {

namespace {

std::string filtered(const std::string& path, const Filters& filters) {
  QueryString query;
  query.add_filters(filters);
  return path + query.str();
}

}  // namespace

nlohmann::json DockerEngine::inspect_swarm() { return get_json("/swarm", "the swarm"); }

std::string DockerEngine::init_swarm(const nlohmann::json& request_body) {
  auto request = json_request("POST", versioned("/swarm/init"), request_body);
  auto body = exchange(*transport_, request).body;
  // The node ID, as a JSON string.
  auto parsed = parse_json(body, "the swarm's node ID");
  return parsed.is_string() ? parsed.get<std::string>() : "";
}

void DockerEngine::leave_swarm(bool force) {
  QueryString query;
  query.add_flag("force", force);
  simple_call("POST", "/swarm/leave" + query.str());
}

nlohmann::json DockerEngine::list_nodes(const Filters& filters) {
  return get_json(filtered("/nodes", filters), "the node list");
}

nlohmann::json DockerEngine::list_services(const Filters& filters) {
  return get_json(filtered("/services", filters), "the service list");
}

nlohmann::json DockerEngine::inspect_service(const std::string& id) {
  return get_json("/services/" + path_escape(id), "a service");
}

std::string DockerEngine::create_service(const nlohmann::json& spec, const std::string& registry_auth) {
  auto request = json_request("POST", versioned("/services/create"), spec);
  if (!registry_auth.empty()) request.headers.push_back({"X-Registry-Auth", registry_auth});
  return parse_json(exchange(*transport_, request).body, "a created service").value("ID", "");
}

void DockerEngine::update_service(const std::string& id, std::uint64_t version, const nlohmann::json& spec,
                                  const std::string& registry_auth) {
  QueryString query;
  query.add("version", std::to_string(version));
  auto request = json_request("POST", versioned("/services/" + path_escape(id) + "/update" + query.str()), spec);
  if (!registry_auth.empty()) request.headers.push_back({"X-Registry-Auth", registry_auth});
  exchange(*transport_, request);
}

void DockerEngine::remove_service(const std::string& id) { simple_call("DELETE", "/services/" + path_escape(id)); }

nlohmann::json DockerEngine::list_tasks(const Filters& filters) {
  return get_json(filtered("/tasks", filters), "the task list");
}

nlohmann::json DockerEngine::list_secrets(const Filters& filters) {
  return get_json(filtered("/secrets", filters), "the secret list");
}

std::string DockerEngine::create_secret(const nlohmann::json& spec) {
  auto request = json_request("POST", versioned("/secrets/create"), spec);
  return parse_json(exchange(*transport_, request).body, "a created secret").value("ID", "");
}

void DockerEngine::remove_secret(const std::string& id) { simple_call("DELETE", "/secrets/" + path_escape(id)); }

nlohmann::json DockerEngine::list_configs(const Filters& filters) {
  return get_json(filtered("/configs", filters), "the config list");
}

std::string DockerEngine::create_config(const nlohmann::json& spec) {
  auto request = json_request("POST", versioned("/configs/create"), spec);
  return parse_json(exchange(*transport_, request).body, "a created config").value("ID", "");
}

void DockerEngine::remove_config(const std::string& id) { simple_call("DELETE", "/configs/" + path_escape(id)); }

}  // namespace berth::engine
