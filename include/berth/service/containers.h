#pragma once
// The commands about one service's running containers: exec, attach, cp,
// port and top. With -p and no compose file the engine's labels suffice.
#include <string>
#include <vector>

namespace berth::service {

struct GlobalOptions;

struct ExecOptions {
  std::string service;
  std::vector<std::string> command;
  int index = 1;              // --index: which replica
  bool detach = false;        // -d
  bool privileged = false;
  bool no_tty = false;        // -T (default: a TTY when stdin is a terminal)
  bool interactive = true;    // -i
  std::string user;           // -u
  std::string workdir;        // -w
  std::vector<std::string> env;  // -e KEY=VALUE, or KEY from berth's environment
};
// Returns the command's exit code (0 with -d).
int exec_command(const GlobalOptions& global, const ExecOptions& options);

struct AttachOptions {
  std::string service;
  int index = 1;
  bool no_stdin = false;
  bool sig_proxy = true;      // --sig-proxy: SIGINT/SIGTERM go to the container (without a TTY)
  std::string detach_keys;
};
// Returns the container's exit code once it stopped, 0 when only the stream
// ended (detached with the detach keys).
int attach(const GlobalOptions& global, const AttachOptions& options);

struct CpOptions {
  std::string source;       // SERVICE:PATH, a local path, or - (a tar stream on stdin)
  std::string destination;  // SERVICE:PATH, a local path, or - (a tar stream on stdout)
  bool all = false;         // --all: also the service's one-off containers
  bool archive = false;     // -a: keep uid/gid
  bool follow_link = false; // -L
  int index = 0;            // --index; 0: the first replica (from), every replica (to)
};
void cp(const GlobalOptions& global, const CpOptions& options);

struct PortOptions {
  std::string service;
  std::string private_port;
  std::string protocol = "tcp";
  int index = 1;
};
// Prints "HOST_IP:HOST_PORT" of the binding.
void port(const GlobalOptions& global, const PortOptions& options);

// Prints each running container's process table, by container name.
void top(const GlobalOptions& global, const std::vector<std::string>& services);

struct CommitOptions {
  std::string service;
  std::string reference;             // REPOSITORY[:TAG]; "" for an untagged image
  int index = 1;                     // --index: which replica
  std::string author;                // -a
  std::string message;               // -m
  std::vector<std::string> changes;  // -c: Dockerfile instructions (CMD, ENV, EXPOSE, ...)
  bool pause = true;                 // -p: pause the container while committing
};
// Prints the new image's ID, as `docker commit` does.
void commit(const GlobalOptions& global, const CommitOptions& options);

struct ExportOptions {
  std::string service;
  int index = 1;
  std::string output;  // -o FILE; "" = stdout, which must not be a terminal
};
void export_filesystem(const GlobalOptions& global, const ExportOptions& options);

}  // namespace berth::service
