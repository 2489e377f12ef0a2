#include <nlohmann/json.hpp>

#include "berth/engine/docker_engine.h"
#include "berth/util/base64.h"
#include "berth/util/error.h"
#include "stdcopy.h"
#include "http_exchange.h"
#include "json_convert.h"
#include "query_string.h"

namespace berth::engine {
namespace {

std::string container_path(const std::string& id, const char* action) {
  return "/containers/" + path_escape(id) + action;
}

// stop/restart answer only after the container stopped: allow for its grace
// period (the engine's default is 10 s) on top of the usual deadline.
std::chrono::milliseconds stop_deadline(std::optional<int> timeout_seconds) {
  return std::chrono::seconds(120 + std::max(timeout_seconds.value_or(10), 0));
}

}  // namespace

std::vector<ContainerSummary> DockerEngine::list_containers(const ListContainersOptions& options) {
  QueryString query;
  query.add_flag("all", options.all).add_filters(options.filters);
  auto json = get_json("/containers/json" + query.str(), "the container list");
  std::vector<ContainerSummary> out;
  for (const auto& item : json) out.push_back(container_summary_from_json(item));
  return out;
}

nlohmann::json DockerEngine::inspect_container(const std::string& id) {
  auto inspect = get_json(container_path(id, "/json"), "a container");
  if (auto state = inspect.find("State"); state != inspect.end() && state->is_object())
    if (auto status = state->find("Status"); status != state->end() && status->is_string())
      *status = docker_state(status->get<std::string>());
  return inspect;
}

bool DockerEngine::container_has_tty(const std::string& id) {
  auto json = inspect_container(id);
  auto config = json.find("Config");
  if (config == json.end() || !config->is_object()) return false;
  return config->value("Tty", false);
}

CreateContainerResult DockerEngine::create_container(const std::string& name, const nlohmann::json& body,
                                                     const std::string& platform) {
  QueryString query;
  query.add_if_set("name", name).add_if_set("platform", platform);
  const std::string target = versioned("/containers/create" + query.str());
  static const nlohmann::json::json_pointer test_at("/Healthcheck/Test");
  bool podman = false;
  {
    std::lock_guard lock(version_mutex_);
    podman = libpod_;
  }
  const nlohmann::json* sent = &body;
  nlohmann::json adapted;
  if (podman && body.contains(test_at)) {
    adapted = body;
    adapted[test_at] = healthcheck_test_for_podman(body.at(test_at));
    sent = &adapted;
  }
  auto request = json_request("POST", target, *sent);
  auto json = parse_json(exchange(*transport_, request).body, "a created container");
  CreateContainerResult result;
  result.id = json.value("Id", "");
  if (auto warnings = json.find("Warnings"); warnings != json.end() && warnings->is_array())
    for (const auto& w : *warnings)
      if (w.is_string()) result.warnings.push_back(w.get<std::string>());
  return result;
}

// 304 (already started / already stopped) counts as success, as in docker.
void DockerEngine::start_container(const std::string& id) { simple_call("POST", container_path(id, "/start")); }

void DockerEngine::stop_container(const std::string& id, std::optional<int> timeout_seconds) {
  QueryString query;
  if (timeout_seconds) query.add("t", std::to_string(*timeout_seconds));
  HttpRequest request;
  request.method = "POST";
  request.target = versioned(container_path(id, "/stop") + query.str());
  request.head_timeout = stop_deadline(timeout_seconds);
  exchange(*transport_, request);
}

void DockerEngine::restart_container(const std::string& id, std::optional<int> timeout_seconds) {
  QueryString query;
  if (timeout_seconds) query.add("t", std::to_string(*timeout_seconds));
  HttpRequest request;
  request.method = "POST";
  request.target = versioned(container_path(id, "/restart") + query.str());
  request.head_timeout = stop_deadline(timeout_seconds);
  exchange(*transport_, request);
}

void DockerEngine::kill_container(const std::string& id, const std::string& signal) {
  QueryString query;
  query.add_if_set("signal", signal);
  simple_call("POST", container_path(id, "/kill") + query.str());
}

void DockerEngine::pause_container(const std::string& id) { simple_call("POST", container_path(id, "/pause")); }

void DockerEngine::unpause_container(const std::string& id) {
  simple_call("POST", container_path(id, "/unpause"));
}

void DockerEngine::remove_container(const std::string& id, const RemoveContainerOptions& options) {
  QueryString query;
  query.add_flag("force", options.force).add_flag("v", options.volumes);
  simple_call("DELETE", container_path(id, "") + query.str());
}

WaitResult DockerEngine::wait_container(const std::string& id, const std::string& condition,
                                        CancelToken* cancel) {
  QueryString query;
  query.add_if_set("condition", condition);
  HttpRequest request;
  request.method = "POST";
  request.target = versioned(container_path(id, "/wait") + query.str());
  // The engine answers the head at once and the body when the container
  // exits, however long that takes.
  auto connection = open_stream(*transport_, request, cancel);
  BodyReader reader(*connection, request.method);
  std::string body;
  while (reader.next(body)) {
  }
  auto json = parse_json(body, "a wait result");
  WaitResult result;
  result.status_code = json.value("StatusCode", 0);
  if (auto error = json.find("Error"); error != json.end() && error->is_object())
    result.error = error->value("Message", "");
  return result;
}

void DockerEngine::rename_container(const std::string& id, const std::string& new_name) {
  QueryString query;
  query.add("name", new_name);
  simple_call("POST", container_path(id, "/rename") + query.str());
}

void DockerEngine::resize_container(const std::string& id, int height, int width) {
  QueryString query;
  query.add("h", std::to_string(height)).add("w", std::to_string(width));
  simple_call("POST", container_path(id, "/resize") + query.str());
}

void DockerEngine::container_logs(const std::string& id, const LogsOptions& options, const LogSink& sink,
                                  CancelToken* cancel) {
  bool tty = options.tty ? *options.tty : container_has_tty(id);
  QueryString query;
  query.add_flag("follow", options.follow)
      .add_flag("stdout", options.show_stdout)
      .add_flag("stderr", options.show_stderr)
      .add_flag("timestamps", options.timestamps)
      .add_if_set("tail", options.tail)
      .add_if_set("since", options.since)
      .add_if_set("until", options.until);
  HttpRequest request;
  request.target = versioned(container_path(id, "/logs") + query.str());
  auto connection = open_stream(*transport_, request, cancel);
  if (!options.follow) connection->set_read_timeout(std::chrono::seconds(120));
  BodyReader reader(*connection, request.method);
  StdcopyDemuxer demuxer;
  std::string piece;
  while (reader.next(piece)) {
    if (tty) {
      sink(StreamKind::Stdout, piece);
    } else {
      demuxer.feed(piece, sink);
    }
    piece.clear();
    if (options.after_read) options.after_read();
  }
  if (!demuxer.at_frame_boundary())
    throw Error(ErrorKind::Io, "the Docker engine's log stream ended in the middle of a frame");
}

TopResult DockerEngine::top_container(const std::string& id, const std::string& ps_args) {
  QueryString query;
  query.add_if_set("ps_args", ps_args);
  return top_from_json(get_json(container_path(id, "/top") + query.str(), "a process list"));
}

nlohmann::json Engine::container_stats(const std::string&) {
  throw Error(ErrorKind::Engine, "this engine does not report container statistics");
}

nlohmann::json DockerEngine::container_stats(const std::string& id) {
  HttpRequest request;
  request.target = versioned(container_path(id, "/stats?stream=false"));
  const std::string body = exchange(*transport_, request).body;
  // Podman answers an empty body for a container that is not running, where
  // dockerd sends a sample of zeros: both read as "no figures".
  if (body.find_first_not_of(" \r\n") == std::string::npos) return nlohmann::json{{"id", id}};
  return parse_json(body, "container statistics");
}

void Engine::run_healthcheck(const std::string&) {
  throw Error(ErrorKind::Engine, "this engine does not run healthchecks on request");
}

bool DockerEngine::runs_healthchecks_on_request() {
  api_version();
  std::lock_guard lock(version_mutex_);
  return libpod_;
}

void DockerEngine::run_healthcheck(const std::string& id) {
  if (!runs_healthchecks_on_request()) Engine::run_healthcheck(id);
  // Podman's own API, under any version prefix of its own.
  HttpRequest request;
  request.target = "/v4.0.0/libpod" + container_path(id, "/healthcheck");
  exchange(*transport_, request);
}

std::optional<PathStat> Engine::stat_container_path(const std::string&, const std::string&) {
  throw Error(ErrorKind::Engine, "this engine does not report paths in containers");
}

std::optional<PathStat> DockerEngine::stat_container_path(const std::string& id, const std::string& path) {
  QueryString query;
  query.add("path", path);
  HttpRequest request;
  request.method = "HEAD";
  request.target = versioned(container_path(id, "/archive") + query.str());
  HttpResult result;
  try {
    result = exchange(*transport_, request);
  } catch (const Error& e) {
    // A HEAD answer has no body to say which: the container's absence is
    // found by the calls that follow.
    if (e.kind() == ErrorKind::NotFound) return std::nullopt;
    throw;
  }
  const std::string* header = find_header(result.head.headers, "X-Docker-Container-Path-Stat");
  if (!header) throw Error(ErrorKind::Engine, "the Docker engine did not describe " + path + " in the container");
  auto stat = parse_json(base64_decode(*header), "a path stat");
  PathStat out;
  out.name = stat.value("name", "");
  out.size = stat.value("size", std::int64_t{0});
  out.mode = stat.value("mode", std::uint32_t{0});
  out.link_target = stat.value("linkTarget", "");
  return out;
}

namespace {

// A tar archive the engine sends (cp's download, export), piece by piece to
// `sink`; a stalled engine fails after two minutes without a byte.
void stream_archive(Transport& transport, const HttpRequest& request, const ByteSink& sink) {
  auto connection = open_stream(transport, request, nullptr);
  connection->set_read_timeout(std::chrono::seconds(120));
  BodyReader reader(*connection, request.method);
  std::string piece;
  while (reader.next(piece)) {
    sink(piece);
    piece.clear();
  }
}

}  // namespace

void DockerEngine::get_archive(const std::string& id, const std::string& path, const ByteSink& sink) {
  QueryString query;
  query.add("path", path);
  HttpRequest request;
  request.target = versioned(container_path(id, "/archive") + query.str());
  stream_archive(*transport_, request, sink);
}

std::string Engine::commit_container(const std::string&, const CommitOptions&) {
  throw Error(ErrorKind::Engine, "this engine does not commit containers");
}

std::string DockerEngine::commit_container(const std::string& id, const CommitOptions& options) {
  QueryString query;
  query.add("container", id)
      .add_if_set("repo", options.repository)
      .add_if_set("tag", options.tag)
      .add_if_set("author", options.author)
      .add_if_set("comment", options.comment)
      .add("pause", options.pause ? "1" : "0");
  for (const auto& change : options.changes) query.add("changes", change);
  auto request = json_request("POST", versioned("/commit" + query.str()), nlohmann::json::object());
  auto json = parse_json(exchange(*transport_, request).body, "a committed image");
  // Podman answers with the bare hex digest; dockerd (and docker commit's
  // output) name the algorithm.
  std::string image_id = json.value("Id", std::string());
  if (!image_id.empty() && image_id.find(':') == std::string::npos) image_id = "sha256:" + image_id;
  return image_id;
}

void Engine::export_container(const std::string&, const ByteSink&) {
  throw Error(ErrorKind::Engine, "this engine does not export containers");
}

void DockerEngine::export_container(const std::string& id, const ByteSink& sink) {
  HttpRequest request;
  request.target = versioned(container_path(id, "/export"));
  stream_archive(*transport_, request, sink);
}

void DockerEngine::put_archive(const std::string& id, const std::string& path, const BodySource& tar,
                               const PutArchiveOptions& options) {
  QueryString query;
  query.add("path", path);
  if (options.no_overwrite_dir_non_dir) query.add_flag("noOverwriteDirNonDir", true);
  if (options.copy_uid_gid) query.add_flag("copyUIDGID", true);
  HttpRequest request;
  request.method = "PUT";
  request.target = versioned(container_path(id, "/archive") + query.str());
  request.headers.push_back({"Content-Type", "application/x-tar"});
  request.body_source = tar;
  exchange(*transport_, request);
}

}  // namespace berth::engine
