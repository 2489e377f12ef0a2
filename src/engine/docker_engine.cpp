#include "berth/engine/docker_engine.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "berth/engine/cancel_token.h"
#include "json_lines.h"
#include "berth/util/error.h"
#include "http_exchange.h"
#include "json_convert.h"
#include "query_string.h"

namespace berth::engine {
namespace {

std::pair<int, int> parse_api_version(const std::string& text) {
  int major = 0, minor = 0;
  auto dot = text.find('.');
  std::from_chars(text.data(), text.data() + (dot == std::string::npos ? text.size() : dot), major);
  if (dot != std::string::npos) std::from_chars(text.data() + dot + 1, text.data() + text.size(), minor);
  return {major, minor};
}

}  // namespace

int compare_api_versions(const std::string& a, const std::string& b) {
  auto left = parse_api_version(a);
  auto right = parse_api_version(b);
  if (left == right) return 0;
  return left < right ? -1 : 1;
}

std::string negotiate_api_version(const std::string& engine_version) {
  if (parse_api_version(engine_version).first == 0) return min_api_version;
  return compare_api_versions(engine_version, max_api_version) < 0 ? engine_version : max_api_version;
}

DockerEngine::DockerEngine(std::unique_ptr<Transport> transport) : transport_(std::move(transport)) {}

DockerEngine::~DockerEngine() = default;

std::unique_ptr<DockerEngine> DockerEngine::from_environment(const TransportTimeouts& timeouts) {
  return std::make_unique<DockerEngine>(make_transport(engine_address_from_environment(), timeouts));
}

std::string DockerEngine::api_version() {
  std::lock_guard lock(version_mutex_);
  if (api_version_.empty()) {
    const auto answer = ping();
    api_version_ = negotiate_api_version(answer.api_version);
    libpod_ = !answer.libpod_api_version.empty();
  }
  return api_version_;
}

std::string DockerEngine::versioned(const std::string& path) { return "/v" + api_version() + path; }

nlohmann::json DockerEngine::get_json(const std::string& path, const char* what) {
  HttpRequest request;
  request.target = versioned(path);
  return parse_json(exchange(*transport_, request).body, what);
}

void DockerEngine::simple_call(const std::string& method, const std::string& path) {
  HttpRequest request;
  request.method = method;
  request.target = versioned(path);
  exchange(*transport_, request);
}

void DockerEngine::read_progress(Connection& connection, const std::string& method, const ProgressSink& sink,
                                 std::string* image_id) {
  BodyReader reader(connection, method);
  JsonLineSplitter splitter;
  std::string first_error;
  std::string piece;
  auto on_line = [&](std::string_view line) {
    auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) return;  // the engine never sends these; skipping beats failing a build
    auto message = progress_from_json(json);
    if (image_id) {
      if (!message.aux_id.empty()) *image_id = message.aux_id;
      // The classic builder's last words when it reports no aux id.
      const std::string built = "Successfully built ";
      if (image_id->empty() && message.stream.starts_with(built)) {
        auto id = message.stream.substr(built.size());
        while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
        *image_id = id;
      }
    }
    if (!message.error.empty() && first_error.empty()) first_error = message.error;
    if (sink) sink(message);
  };
  while (reader.next(piece)) {
    splitter.feed(piece, on_line);
    piece.clear();
  }
  splitter.finish(on_line);
  if (!first_error.empty()) throw Error(ErrorKind::Engine, first_error);
}

// --- system

PingResult DockerEngine::ping() {
  HttpRequest request;
  request.target = "/_ping";
  auto result = exchange(*transport_, request);
  PingResult ping;
  if (const auto* v = find_header(result.head.headers, "API-Version")) ping.api_version = *v;
  if (const auto* v = find_header(result.head.headers, "OSType")) ping.os_type = *v;
  if (const auto* v = find_header(result.head.headers, "Server")) ping.server = *v;
  if (const auto* v = find_header(result.head.headers, "Libpod-API-Version")) ping.libpod_api_version = *v;
  return ping;
}

VersionInfo DockerEngine::version() { return version_from_json(get_json("/version", "version")); }

nlohmann::json DockerEngine::info() { return get_json("/info", "info"); }

void DockerEngine::events(const EventsOptions& options, const EventSink& sink, CancelToken* cancel) {
  HttpRequest request;
  QueryString query;
  query.add_if_set("since", options.since).add_if_set("until", options.until).add_filters(options.filters);
  request.target = versioned("/events" + query.str());
  auto connection = open_stream(*transport_, request, cancel);
  BodyReader reader(*connection, request.method);
  JsonLineSplitter splitter;
  bool keep_going = true;
  auto on_line = [&](std::string_view line) {
    if (!keep_going) return;
    auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_object()) keep_going = sink(event_from_json(json));
  };
  std::string piece;
  while (keep_going && reader.next(piece)) {
    splitter.feed(piece, on_line);
    piece.clear();
  }
  if (keep_going) splitter.finish(on_line);
}

}  // namespace berth::engine
