// attach and exec: the engine hijacks the HTTP connection and it becomes a
// raw duplex byte stream.
#include <nlohmann/json.hpp>

#include "berth/engine/docker_engine.h"
#include "berth/util/error.h"
#include "http_exchange.h"
#include "json_convert.h"
#include "query_string.h"
#include "stdcopy.h"

namespace berth::engine {

void read_all_output(DuplexStream& stream, const LogSink& sink) {
  StdcopyDemuxer demuxer;
  std::string buffer(64 * 1024, '\0');
  for (;;) {
    size_t n = stream.read_some(buffer.data(), buffer.size());
    if (n == 0) break;
    std::string_view piece(buffer.data(), n);
    if (stream.multiplexed()) {
      demuxer.feed(piece, sink);
    } else {
      sink(StreamKind::Stdout, piece);
    }
  }
  if (!demuxer.at_frame_boundary())
    throw Error(ErrorKind::Io, "the Docker engine's output ended in the middle of a frame");
}

std::unique_ptr<DuplexStream> DockerEngine::attach_container(const std::string& id, const AttachOptions& options,
                                                             CancelToken* cancel) {
  bool tty = options.tty ? *options.tty : container_has_tty(id);
  QueryString query;
  query.add_flag("stream", options.stream)
      .add_flag("stdin", options.attach_stdin)
      .add_flag("stdout", options.attach_stdout)
      .add_flag("stderr", options.attach_stderr)
      .add_flag("logs", options.logs)
      .add_if_set("detachKeys", options.detach_keys);
  HttpRequest request;
  request.method = "POST";
  request.target = versioned("/containers/" + path_escape(id) + "/attach" + query.str());
  return hijack(*transport_, std::move(request), /*multiplexed=*/!tty, cancel);
}

std::string DockerEngine::create_exec(const std::string& container_id, const ExecOptions& options) {
  nlohmann::json body = {
      {"Cmd", options.cmd},
      {"Tty", options.tty},
      {"AttachStdin", options.attach_stdin},
      {"AttachStdout", options.attach_stdout},
      {"AttachStderr", options.attach_stderr},
      {"Privileged", options.privileged},
  };
  if (!options.env.empty()) body["Env"] = options.env;
  if (!options.user.empty()) body["User"] = options.user;
  if (!options.working_dir.empty()) body["WorkingDir"] = options.working_dir;
  if (!options.detach_keys.empty()) body["DetachKeys"] = options.detach_keys;
  auto request = json_request("POST", versioned("/containers/" + path_escape(container_id) + "/exec"), body);
  auto json = parse_json(exchange(*transport_, request).body, "a created exec");
  return json.value("Id", "");
}

std::unique_ptr<DuplexStream> DockerEngine::start_exec(const std::string& exec_id, const ExecStartOptions& options,
                                                       CancelToken* cancel) {
  nlohmann::json body = {{"Detach", options.detach}, {"Tty", options.tty}};
  auto request = json_request("POST", versioned("/exec/" + path_escape(exec_id) + "/start"), body);
  if (options.detach) {
    exchange(*transport_, request, cancel);
    return nullptr;
  }
  return hijack(*transport_, std::move(request), /*multiplexed=*/!options.tty, cancel);
}

void DockerEngine::resize_exec(const std::string& exec_id, int height, int width) {
  QueryString query;
  query.add("h", std::to_string(height)).add("w", std::to_string(width));
  simple_call("POST", "/exec/" + path_escape(exec_id) + "/resize" + query.str());
}

ExecInspectResult DockerEngine::inspect_exec(const std::string& exec_id) {
  return exec_inspect_from_json(get_json("/exec/" + path_escape(exec_id) + "/json", "an exec"));
}

}  // namespace berth::engine
