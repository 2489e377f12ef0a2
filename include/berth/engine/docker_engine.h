#pragma once
// The Engine over the Docker Engine API (HTTP/1.1 + JSON). Safe to share
// between threads: every call opens its own connection, and the API version
// is negotiated once, on first use, from GET /_ping.
#include <memory>
#include <mutex>
#include <string>

#include "berth/engine/api_version.h"
#include "berth/engine/engine.h"
#include "berth/engine/swarm.h"

namespace berth::engine {

class Connection;
class Transport;

class DockerEngine final : public Engine, public SwarmApi {
 public:
  explicit DockerEngine(std::unique_ptr<Transport> transport);
  ~DockerEngine() override;
  // DOCKER_HOST, or the default socket.
  static std::unique_ptr<DockerEngine> from_environment(const TransportTimeouts& timeouts = {});

  PingResult ping() override;
  VersionInfo version() override;
  nlohmann::json info() override;
  std::string api_version() override;
  SwarmApi* swarm() override { return this; }

  nlohmann::json inspect_swarm() override;
  std::string init_swarm(const nlohmann::json& request) override;
  void leave_swarm(bool force) override;
  nlohmann::json list_nodes(const Filters& filters = {}) override;
  nlohmann::json list_services(const Filters& filters = {}) override;
  nlohmann::json inspect_service(const std::string& id) override;
  std::string create_service(const nlohmann::json& spec, const std::string& registry_auth = {}) override;
  void update_service(const std::string& id, std::uint64_t version, const nlohmann::json& spec,
                      const std::string& registry_auth = {}) override;
  void remove_service(const std::string& id) override;
  nlohmann::json list_tasks(const Filters& filters = {}) override;
  nlohmann::json list_secrets(const Filters& filters = {}) override;
  std::string create_secret(const nlohmann::json& spec) override;
  void remove_secret(const std::string& id) override;
  nlohmann::json list_configs(const Filters& filters = {}) override;
  std::string create_config(const nlohmann::json& spec) override;
  void remove_config(const std::string& id) override;
  void events(const EventsOptions& options, const EventSink& sink, CancelToken* cancel) override;

  std::vector<ContainerSummary> list_containers(const ListContainersOptions& options) override;
  nlohmann::json inspect_container(const std::string& id) override;
  CreateContainerResult create_container(const std::string& name, const nlohmann::json& body,
                                         const std::string& platform = {}) override;
  void start_container(const std::string& id) override;
  void stop_container(const std::string& id, std::optional<int> timeout_seconds = {}) override;
  void restart_container(const std::string& id, std::optional<int> timeout_seconds = {}) override;
  void kill_container(const std::string& id, const std::string& signal = {}) override;
  void pause_container(const std::string& id) override;
  void unpause_container(const std::string& id) override;
  void remove_container(const std::string& id, const RemoveContainerOptions& options = {}) override;
  WaitResult wait_container(const std::string& id, const std::string& condition = "not-running",
                            CancelToken* cancel = nullptr) override;
  void rename_container(const std::string& id, const std::string& new_name) override;
  void resize_container(const std::string& id, int height, int width) override;
  void container_logs(const std::string& id, const LogsOptions& options, const LogSink& sink,
                      CancelToken* cancel = nullptr) override;
  TopResult top_container(const std::string& id, const std::string& ps_args = {}) override;
  nlohmann::json container_stats(const std::string& id) override;
  std::optional<PathStat> stat_container_path(const std::string& id, const std::string& path) override;
  bool runs_healthchecks_on_request() override;
  void run_healthcheck(const std::string& id) override;
  void get_archive(const std::string& id, const std::string& path, const ByteSink& sink) override;
  std::string commit_container(const std::string& id, const CommitOptions& options) override;
  void export_container(const std::string& id, const ByteSink& sink) override;
  void put_archive(const std::string& id, const std::string& path, const BodySource& tar,
                   const PutArchiveOptions& options = {}) override;
  std::unique_ptr<DuplexStream> attach_container(const std::string& id, const AttachOptions& options,
                                                 CancelToken* cancel = nullptr) override;
  std::string create_exec(const std::string& container_id, const ExecOptions& options) override;
  std::unique_ptr<DuplexStream> start_exec(const std::string& exec_id, const ExecStartOptions& options,
                                           CancelToken* cancel = nullptr) override;
  void resize_exec(const std::string& exec_id, int height, int width) override;
  ExecInspectResult inspect_exec(const std::string& exec_id) override;

  std::vector<ImageSummary> list_images(const ListImagesOptions& options = {}) override;
  nlohmann::json inspect_image(const std::string& name) override;
  nlohmann::json remove_image(const std::string& name, const RemoveImageOptions& options = {}) override;
  std::string build_image(const BuildOptions& options, const BodySource& context,
                          const ProgressSink& progress, CancelToken* cancel = nullptr) override;
  std::unique_ptr<DuplexStream> open_session(const SessionRequest& session, CancelToken* cancel) override;
  void pull_image(const std::string& reference, const PullOptions& options, const ProgressSink& progress,
                  CancelToken* cancel = nullptr) override;
  void push_image(const std::string& reference, const std::string& registry_auth,
                  const ProgressSink& progress, CancelToken* cancel = nullptr) override;
  void tag_image(const std::string& source, const std::string& repository, const std::string& tag) override;

  std::vector<NetworkSummary> list_networks(const Filters& filters = {}) override;
  nlohmann::json inspect_network(const std::string& id) override;
  std::string create_network(const std::string& name, const nlohmann::json& body) override;
  void remove_network(const std::string& id) override;
  void connect_network(const std::string& network, const std::string& container,
                       const nlohmann::json& endpoint_config) override;
  void disconnect_network(const std::string& network, const std::string& container,
                          bool force = false) override;

  std::vector<VolumeSummary> list_volumes(const Filters& filters = {}) override;
  nlohmann::json inspect_volume(const std::string& name) override;
  VolumeSummary create_volume(const std::string& name, const nlohmann::json& body) override;
  void remove_volume(const std::string& name, bool force = false) override;

 private:
  // "/v1.41" + path, negotiating the version on first use.
  std::string versioned(const std::string& path);
  nlohmann::json get_json(const std::string& path, const char* what);
  // A POST/DELETE whose answer berth does not need.
  void simple_call(const std::string& method, const std::string& path);
  bool container_has_tty(const std::string& id);
  // Streams JSON-lines progress into `sink`; throws the first error message.
  void read_progress(Connection& connection, const std::string& method, const ProgressSink& sink,
                     std::string* image_id);

  std::unique_ptr<Transport> transport_;
  std::mutex version_mutex_;
  std::string api_version_;  // empty until negotiated
  bool libpod_ = false;      // Podman's API, known once negotiated
};

}  // namespace berth::engine
