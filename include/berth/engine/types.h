#pragma once
// Typed results and options of the Engine calls. Results the callers only
// pass through (inspect, info) stay nlohmann::json; these are the ones berth
// reads field by field.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::engine {

// Supplies a streamed request body (a build context, an archive upload):
// fills `chunk` and returns true, or returns false at the end.
using BodySource = std::function<bool(std::string& chunk)>;

// Which stream of a container a piece of output comes from.
enum class StreamKind { Stdin = 0, Stdout = 1, Stderr = 2, System = 3 };

const char* to_string(StreamKind kind);

// How long to wait for the engine.
struct TransportTimeouts {
  std::chrono::milliseconds connect{3000};
  // Default for writing the request and waiting for the response head.
  std::chrono::milliseconds request{120000};
};

// Engine list filters, e.g. {{"label", {"com.docker.compose.project=web"}}}.
using Filters = std::map<std::string, std::vector<std::string>>;
using Labels = std::map<std::string, std::string>;
// The value of a label, "" when it is not set.
std::string label_value(const Labels& labels, const std::string& key);

struct PingResult {
  std::string api_version;  // the engine's newest API version, e.g. "1.41"
  std::string os_type;
  std::string server;       // the Server header, e.g. "Docker/20.10.24 (linux)"
  std::string libpod_api_version;  // Podman's own API version ("4.3.1"); empty for dockerd
};

struct VersionInfo {
  std::string version;  // e.g. "20.10.24+dfsg1"
  std::string api_version;
  std::string min_api_version;
  std::string os;
  std::string arch;
  std::string kernel_version;
  std::string git_commit;
  std::string go_version;
  // Podman's Docker-compatible API (a component named "Podman Engine"): no
  // build sessions, so no BuildKit builds.
  bool podman = false;
};

struct PortSummary {
  std::string ip;
  int private_port = 0;
  int public_port = 0;
  std::string type;  // "tcp", "udp", "sctp"
};

struct ContainerSummary {
  std::string id;
  std::vector<std::string> names;  // with the engine's leading "/"
  std::string image;
  std::string image_id;
  std::string command;
  std::int64_t created = 0;
  std::string state;   // "running", "exited", ...
  std::string status;  // "Up 3 minutes"
  Labels labels;
  std::vector<PortSummary> ports;
  std::vector<std::string> networks;

  // The container's name without the leading "/" (its first name), else
  // its short ID.
  std::string name() const;
  // The value of a label, "" when it is not set.
  std::string label(const std::string& key) const;
};

struct ImageSummary {
  std::string id;
  std::string parent_id;
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  std::int64_t created = 0;
  std::int64_t size = 0;
  Labels labels;
};

struct NetworkSummary {
  std::string id;
  std::string name;
  std::string driver;
  std::string scope;
  bool internal = false;
  bool attachable = false;
  Labels labels;
};

struct VolumeSummary {
  std::string name;
  std::string driver;
  std::string mountpoint;
  std::string scope;
  std::string created_at;
  Labels labels;
};

struct CreateContainerResult {
  std::string id;
  std::vector<std::string> warnings;
};

struct WaitResult {
  int status_code = 0;
  std::string error;  // the engine's error message while waiting, if any
};

struct TopResult {
  std::vector<std::string> titles;
  std::vector<std::vector<std::string>> processes;
};

struct ExecInspectResult {
  std::string id;
  std::string container_id;
  bool running = false;
  std::optional<int> exit_code;  // unset while running
  int pid = 0;
};

struct Event {
  std::string type;    // "container", "network", "image", "volume", ...
  std::string action;  // "start", "die", ...
  std::string actor_id;
  Labels attributes;   // the actor's attributes (labels, name, image, exitCode)
  std::string scope;
  std::int64_t time = 0;       // seconds since the epoch
  std::int64_t time_nano = 0;  // nanoseconds since the epoch
};

// One message of a build, pull or push progress stream.
struct ProgressMessage {
  std::string id;        // layer or image id, for pull/push
  std::string status;    // "Downloading", "Pull complete", ...
  std::string progress;  // the engine's progress bar text
  std::int64_t current = 0;
  std::int64_t total = 0;
  std::string stream;    // build output text
  std::string error;     // set when the operation failed
  std::string aux_id;    // build: the image id the engine reported ("sha256:...")
  std::string trace;     // BuildKit build: base64 of a moby.buildkit.v1.StatusResponse
};

struct ListContainersOptions {
  bool all = false;
  Filters filters;
};

struct RemoveContainerOptions {
  bool force = false;
  bool volumes = false;  // also anonymous volumes
};

struct LogsOptions {
  bool follow = false;
  std::string tail = "all";  // "all" or a number of lines
  std::string since;         // a Unix timestamp, RFC 3339 date or duration like "10m"
  std::string until;
  bool timestamps = false;
  bool show_stdout = true;
  bool show_stderr = true;
  // Whether the container has a TTY (raw output instead of frames); unset:
  // DockerEngine inspects the container to find out.
  std::optional<bool> tty;
  // Called after the pieces of each read from the engine went to the sink,
  // so that a printer can write them at once.
  std::function<void()> after_read;
};

struct AttachOptions {
  bool stream = true;
  bool attach_stdin = false;
  bool attach_stdout = true;
  bool attach_stderr = true;
  bool logs = false;
  std::string detach_keys;
  std::optional<bool> tty;  // as in LogsOptions
};

struct ExecOptions {
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // "KEY=value"
  std::string user;
  std::string working_dir;
  bool tty = false;
  bool attach_stdin = false;
  bool attach_stdout = true;
  bool attach_stderr = true;
  bool privileged = false;
  std::string detach_keys;
};

struct ExecStartOptions {
  bool tty = false;     // must match ExecOptions::tty
  bool detach = false;  // run in the background: exec_start returns null
};

// What a path is in a container (the archive API's path stat).
struct PathStat {
  std::string name;
  std::int64_t size = 0;
  std::uint32_t mode = 0;  // Go's os.FileMode: permission bits plus type bits
  std::string link_target;
  bool is_directory() const { return (mode & (1u << 31)) != 0; }
  bool is_symlink() const { return (mode & (1u << 27)) != 0; }
};

struct PutArchiveOptions {
  bool no_overwrite_dir_non_dir = false;
  bool copy_uid_gid = false;
};

struct ListImagesOptions {
  bool all = false;
  Filters filters;
};

struct BuildUlimit {
  std::string name;  // "nofile", "nproc", ...
  std::int64_t soft = 0;
  std::int64_t hard = 0;
};

struct BuildOptions {
  std::string dockerfile;  // path inside the context; empty: "Dockerfile"
  std::vector<std::string> tags;
  std::map<std::string, std::string> build_args;
  std::string target;
  Labels labels;
  bool no_cache = false;
  bool pull = false;
  bool remove_intermediate = true;  // rm
  bool force_remove_intermediate = false;  // forcerm
  std::string network_mode;
  std::vector<std::string> extra_hosts;  // "host:ip"
  std::int64_t shm_size = 0;             // bytes; 0: the engine's default
  std::vector<std::string> cache_from;
  std::string platform;
  std::string registry_config;  // X-Registry-Config: base64url JSON of registry credentials
  std::vector<BuildUlimit> ulimits;  // for the build's RUN containers
  // BuildKit (version=2): the build session serving secrets, SSH and
  // credentials (see Engine::open_session), and an id to cancel it by.
  bool buildkit = false;
  std::string session_id;
  std::string build_id;
};

// POST /session: a build session the client serves over HTTP/2 (gRPC) on the
// upgraded connection; the engine calls the methods it names.
struct SessionRequest {
  std::string id;          // X-Docker-Expose-Session-Uuid; builds name it as `session`
  std::string name;        // X-Docker-Expose-Session-Name
  std::string shared_key;  // X-Docker-Expose-Session-Sharedkey
  std::vector<std::string> methods;  // "/moby.buildkit.secrets.v1.Secrets/GetSecret", ...
};

// POST /commit: a new image from a container's changes.
struct CommitOptions {
  std::string repository;            // "" with "": an untagged image
  std::string tag;
  std::string author;
  std::string comment;
  std::vector<std::string> changes;  // Dockerfile instructions applied (CMD, ENV, ...)
  bool pause = true;                 // pause the container while committing
};

struct PullOptions {
  std::string platform;
  std::string registry_auth;  // X-Registry-Auth: base64url JSON of credentials
};

struct RemoveImageOptions {
  bool force = false;
  bool no_prune = false;
};

struct EventsOptions {
  Filters filters;
  std::string since;  // Unix timestamp or RFC 3339 date
  std::string until;
};

}  // namespace berth::engine
