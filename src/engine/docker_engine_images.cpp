#include <nlohmann/json.hpp>

#include "berth/engine/docker_engine.h"
#include "berth/util/error.h"
#include "berth/util/image_reference.h"
#include "http_exchange.h"
#include "json_convert.h"
#include "query_string.h"

namespace berth::engine {
namespace {

// Base64 of "{}": the engine insists on an X-Registry-Auth header for push.
constexpr const char* empty_registry_auth = "e30=";

// Podman fails a listing, or an inspect that looks up the image's parent,
// with a 500 when an image it walks is removed meanwhile ("retrieving parent
// of image X: ... image not known"); a second look no longer sees X. A 404
// (the image asked about does not exist) is an answer, not retried.
template <typename Call>
nlohmann::json asking_again_if_an_image_vanished(const Call& call) {
  for (int attempt = 1;; ++attempt) {
    try {
      return call();
    } catch (const Error& e) {
      if (attempt == 3 || e.kind() == ErrorKind::NotFound ||
          e.message().find("image not known") == std::string::npos)
        throw;
    }
  }
}

}  // namespace

std::vector<ImageSummary> DockerEngine::list_images(const ListImagesOptions& options) {
  QueryString query;
  query.add_flag("all", options.all).add_filters(options.filters);
  auto json = asking_again_if_an_image_vanished([&] { return get_json("/images/json" + query.str(), "the image list"); });
  std::vector<ImageSummary> out;
  for (const auto& item : json) out.push_back(image_summary_from_json(item));
  return out;
}

nlohmann::json DockerEngine::inspect_image(const std::string& name) {
  return asking_again_if_an_image_vanished([&] { return get_json("/images/" + path_escape(name) + "/json", "an image"); });
}

nlohmann::json DockerEngine::remove_image(const std::string& name, const RemoveImageOptions& options) {
  QueryString query;
  query.add_flag("force", options.force).add_flag("noprune", options.no_prune);
  HttpRequest request;
  request.method = "DELETE";
  request.target = versioned("/images/" + path_escape(name) + query.str());
  try {
    return parse_json(exchange(*transport_, request).body, "removed images");
  } catch (const Error& e) {
    // The engine refuses to remove an image with 409 only while something
    // (a container, a child image, another tag without force) still uses it.
    if (e.kind() == ErrorKind::Conflict) throw Error(ErrorKind::InUse, e.message());
    throw;
  }
}

std::string DockerEngine::build_image(const BuildOptions& options, const BodySource& context,
                                      const ProgressSink& progress, CancelToken* cancel) {
  QueryString query;
  if (options.buildkit) {
    query.add("version", "2");
    query.add_if_set("session", options.session_id);
    query.add_if_set("buildid", options.build_id);
  }
  query.add_if_set("dockerfile", options.dockerfile);
  for (const auto& tag : options.tags) query.add("t", tag);
  if (!options.build_args.empty()) query.add_json("buildargs", nlohmann::json(options.build_args));
  query.add_if_set("target", options.target);
  if (!options.labels.empty()) query.add_json("labels", nlohmann::json(options.labels));
  if (options.no_cache) query.add_flag("nocache", true);
  if (options.pull) query.add_flag("pull", true);
  query.add_flag("rm", options.remove_intermediate);
  if (options.force_remove_intermediate) query.add_flag("forcerm", true);
  query.add_if_set("networkmode", options.network_mode);
  for (const auto& host : options.extra_hosts) query.add("extrahosts", host);
  if (options.shm_size > 0) query.add("shmsize", std::to_string(options.shm_size));
  if (!options.cache_from.empty()) query.add_json("cachefrom", nlohmann::json(options.cache_from));
  query.add_if_set("platform", options.platform);
  if (!options.ulimits.empty()) {
    auto ulimits = nlohmann::json::array();
    for (const auto& u : options.ulimits) ulimits.push_back({{"Name", u.name}, {"Soft", u.soft}, {"Hard", u.hard}});
    query.add_json("ulimits", ulimits);
  }

  HttpRequest request;
  request.method = "POST";
  request.target = versioned("/build" + query.str());
  request.headers.push_back({"Content-Type", "application/x-tar"});
  if (!options.registry_config.empty()) request.headers.push_back({"X-Registry-Config", options.registry_config});
  request.body_source = context;
  auto connection = open_stream(*transport_, request, cancel);
  std::string image_id;
  read_progress(*connection, request.method, progress, &image_id);
  return image_id;
}

std::unique_ptr<DuplexStream> DockerEngine::open_session(const SessionRequest& session, CancelToken* cancel) {
  HttpRequest request;
  request.method = "POST";
  request.target = versioned("/session");
  request.upgrade = "h2c";
  request.headers.push_back({"X-Docker-Expose-Session-Uuid", session.id});
  request.headers.push_back({"X-Docker-Expose-Session-Name", session.name});
  request.headers.push_back({"X-Docker-Expose-Session-Sharedkey", session.shared_key});
  for (const auto& method : session.methods) request.headers.push_back({"X-Docker-Expose-Session-Grpc-Method", method});
  return hijack(*transport_, std::move(request), /*multiplexed=*/false, cancel);
}

void DockerEngine::pull_image(const std::string& reference, const PullOptions& options,
                              const ProgressSink& progress, CancelToken* cancel) {
  auto ref = parse_image_reference(reference);
  QueryString query;
  query.add("fromImage", ref.name).add("tag", ref.tag_or_digest()).add_if_set("platform", options.platform);
  HttpRequest request;
  request.method = "POST";
  request.target = versioned("/images/create" + query.str());
  request.headers.push_back(
      {"X-Registry-Auth", options.registry_auth.empty() ? empty_registry_auth : options.registry_auth});
  auto connection = open_stream(*transport_, request, cancel);
  read_progress(*connection, request.method, progress, nullptr);
}

void DockerEngine::push_image(const std::string& reference, const std::string& registry_auth,
                              const ProgressSink& progress, CancelToken* cancel) {
  auto ref = parse_image_reference(reference);
  QueryString query;
  query.add("tag", ref.tag_or_digest());
  HttpRequest request;
  request.method = "POST";
  request.target = versioned("/images/" + path_escape(ref.name) + "/push" + query.str());
  request.headers.push_back({"X-Registry-Auth", registry_auth.empty() ? empty_registry_auth : registry_auth});
  auto connection = open_stream(*transport_, request, cancel);
  read_progress(*connection, request.method, progress, nullptr);
}

void DockerEngine::tag_image(const std::string& source, const std::string& repository, const std::string& tag) {
  QueryString query;
  query.add("repo", repository).add_if_set("tag", tag);
  simple_call("POST", "/images/" + path_escape(source) + "/tag" + query.str());
}

}  // namespace berth::engine
