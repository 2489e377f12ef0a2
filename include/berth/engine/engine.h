#pragma once
// The Engine interface: every call berth makes to a container engine, typed,
// so the planner and executor can run against a recording fake in tests.
// DockerEngine (docker_engine.h) implements it over the Docker Engine API.
//
// Errors are berth::Error: NotFound (404), Conflict (409), Engine (other
// answers), EngineUnavailable (cannot connect), Io (connection lost or timed
// out), Interrupted (a CancelToken fired). Streaming calls block until the
// stream ends or `cancel` (may be null) is cancelled from another thread.
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "berth/engine/types.h"

namespace berth::engine {

class CancelToken;
class SwarmApi;

// A hijacked connection (attach, exec): raw bytes both ways. Output is in
// stdcopy frames unless the container/exec has a TTY (see multiplexed()).
// One thread may read while another writes.
class DuplexStream {
 public:
  virtual ~DuplexStream() = default;
  virtual size_t read_some(char* data, size_t size) = 0;  // 0 when the engine closed it
  virtual void write(std::string_view data) = 0;
  virtual void close_write() = 0;  // end of stdin
  virtual void cancel() = 0;       // from any thread: unblocks read_some
  virtual bool multiplexed() const = 0;
};

using LogSink = std::function<void(StreamKind, std::string_view)>;

// Reads a DuplexStream to its end, demultiplexing when needed; TTY output
// arrives as StreamKind::Stdout.
void read_all_output(DuplexStream& stream, const LogSink& sink);
using ByteSink = std::function<void(std::string_view)>;
using ProgressSink = std::function<void(const ProgressMessage&)>;
// Return false to stop following events.
using EventSink = std::function<bool(const Event&)>;

class Engine {
 public:
  virtual ~Engine() = default;

  // --- system
  virtual PingResult ping() = 0;
  virtual VersionInfo version() = 0;
  virtual nlohmann::json info() = 0;
  // The negotiated API version, e.g. "1.41".
  virtual std::string api_version() = 0;
  // The swarm-mode calls (swarm.h), or null for an engine without them.
  virtual SwarmApi* swarm() { return nullptr; }
  virtual void events(const EventsOptions& options, const EventSink& sink, CancelToken* cancel) = 0;

  // --- containers
  virtual std::vector<ContainerSummary> list_containers(const ListContainersOptions& options) = 0;
  virtual nlohmann::json inspect_container(const std::string& id) = 0;
  // `body` is the create-container JSON (Image, Cmd, HostConfig, ...).
  virtual CreateContainerResult create_container(const std::string& name, const nlohmann::json& body,
                                                 const std::string& platform = {}) = 0;
  virtual void start_container(const std::string& id) = 0;
  virtual void stop_container(const std::string& id, std::optional<int> timeout_seconds = {}) = 0;
  virtual void restart_container(const std::string& id, std::optional<int> timeout_seconds = {}) = 0;
  virtual void kill_container(const std::string& id, const std::string& signal = {}) = 0;
  virtual void pause_container(const std::string& id) = 0;
  virtual void unpause_container(const std::string& id) = 0;
  virtual void remove_container(const std::string& id, const RemoveContainerOptions& options = {}) = 0;
  // condition: "not-running" (default), "next-exit" or "removed".
  virtual WaitResult wait_container(const std::string& id, const std::string& condition = "not-running",
                                    CancelToken* cancel = nullptr) = 0;
  virtual void rename_container(const std::string& id, const std::string& new_name) = 0;
  virtual void resize_container(const std::string& id, int height, int width) = 0;
  virtual void container_logs(const std::string& id, const LogsOptions& options, const LogSink& sink,
                              CancelToken* cancel = nullptr) = 0;
  virtual TopResult top_container(const std::string& id, const std::string& ps_args = {}) = 0;
  // One sample of the container's resource usage (GET /containers/{id}/stats
  // with stream=false: the engine takes two readings about a second apart, so
  // precpu_stats is filled). Not pure, so test fakes need not provide it: the
  // default throws ErrorKind::Engine.
  virtual nlohmann::json container_stats(const std::string& id);
  // What `path` is in the container (HEAD /containers/{id}/archive);
  // nullopt when nothing is there. The default throws ErrorKind::Engine.
  virtual std::optional<PathStat> stat_container_path(const std::string& id, const std::string& path);
  // Whether run_healthcheck works here. dockerd runs every check on its own
  // schedule; Podman schedules them with systemd timers, so where there is
  // no systemd they never run unless someone asks (default: false).
  virtual bool runs_healthchecks_on_request() { return false; }
  // Runs the container's healthcheck once, now; the result goes into its
  // State.Health as a scheduled check's would (Podman's
  // /libpod/containers/{id}/healthcheck). Conflict when the container has
  // no healthcheck or is not running; the default throws ErrorKind::Engine.
  virtual void run_healthcheck(const std::string& id);
  // Commits the container's changes to a new image; returns its ID. The
  // default throws ErrorKind::Engine.
  virtual std::string commit_container(const std::string& id, const CommitOptions& options);
  // The container's whole filesystem as a tar archive, streamed to `sink`.
  // The default throws ErrorKind::Engine.
  virtual void export_container(const std::string& id, const ByteSink& sink);
  // A tar archive of `path` in the container, streamed to `sink`.
  virtual void get_archive(const std::string& id, const std::string& path, const ByteSink& sink) = 0;
  // Extracts a tar archive (from `tar`) into directory `path` of the container.
  virtual void put_archive(const std::string& id, const std::string& path, const BodySource& tar,
                           const PutArchiveOptions& options = {}) = 0;
  virtual std::unique_ptr<DuplexStream> attach_container(const std::string& id,
                                                         const AttachOptions& options,
                                                         CancelToken* cancel = nullptr) = 0;
  virtual std::string create_exec(const std::string& container_id, const ExecOptions& options) = 0;
  // Null when options.detach.
  virtual std::unique_ptr<DuplexStream> start_exec(const std::string& exec_id, const ExecStartOptions& options,
                                                   CancelToken* cancel = nullptr) = 0;
  virtual void resize_exec(const std::string& exec_id, int height, int width) = 0;
  virtual ExecInspectResult inspect_exec(const std::string& exec_id) = 0;

  // --- images
  virtual std::vector<ImageSummary> list_images(const ListImagesOptions& options = {}) = 0;
  virtual nlohmann::json inspect_image(const std::string& name) = 0;
  // The engine's list of {"Untagged": ...} / {"Deleted": ...} entries.
  virtual nlohmann::json remove_image(const std::string& name, const RemoveImageOptions& options = {}) = 0;
  // Builds from a tar context; returns the image id (empty if the engine did
  // not report one). A build error in the stream is thrown after `progress`
  // has seen it.
  virtual std::string build_image(const BuildOptions& options, const BodySource& context,
                                  const ProgressSink& progress, CancelToken* cancel = nullptr) = 0;
  // A BuildKit build session: the upgraded connection, over which the engine
  // (as the HTTP/2 client) calls the gRPC methods the session names.
  virtual std::unique_ptr<DuplexStream> open_session(const SessionRequest& session, CancelToken* cancel = nullptr) = 0;
  virtual void pull_image(const std::string& reference, const PullOptions& options,
                          const ProgressSink& progress, CancelToken* cancel = nullptr) = 0;
  virtual void push_image(const std::string& reference, const std::string& registry_auth,
                          const ProgressSink& progress, CancelToken* cancel = nullptr) = 0;
  virtual void tag_image(const std::string& source, const std::string& repository,
                         const std::string& tag) = 0;

  // --- networks
  virtual std::vector<NetworkSummary> list_networks(const Filters& filters = {}) = 0;
  virtual nlohmann::json inspect_network(const std::string& id) = 0;
  // `body` is the create-network JSON; its "Name" is set from `name`.
  virtual std::string create_network(const std::string& name, const nlohmann::json& body) = 0;
  virtual void remove_network(const std::string& id) = 0;
  // `endpoint_config` (may be null) is the EndpointConfig JSON (Aliases, ...).
  virtual void connect_network(const std::string& network, const std::string& container,
                               const nlohmann::json& endpoint_config) = 0;
  virtual void disconnect_network(const std::string& network, const std::string& container,
                                  bool force = false) = 0;

  // --- volumes
  virtual std::vector<VolumeSummary> list_volumes(const Filters& filters = {}) = 0;
  virtual nlohmann::json inspect_volume(const std::string& name) = 0;
  // `body` is the create-volume JSON; its "Name" is set from `name`.
  virtual VolumeSummary create_volume(const std::string& name, const nlohmann::json& body) = 0;
  virtual void remove_volume(const std::string& name, bool force = false) = 0;
};

}  // namespace berth::engine
