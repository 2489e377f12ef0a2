#pragma once
// `berth run SERVICE [COMMAND...]`: a one-off container of a service,
// created from the service's model with the command-line overrides applied,
// so it gets exactly what `up` would give it (policy, labels, networks) plus
// com.docker.compose.oneoff=True. Its dependencies are started first (and,
// as depends_on says, healthy or completed) unless --no-deps.
#include <optional>
#include <string>
#include <vector>

#include "berth/service/images.h"

namespace berth::service {

struct GlobalOptions;

struct RunOptions {
  std::string service;
  std::vector<std::string> command;     // empty: the service's
  bool detach = false;                  // -d: print the container's name and return
  bool remove = false;                  // --rm
  bool no_deps = false;
  bool remove_orphans = false;          // --remove-orphans
  bool quiet = false;                   // -q: no progress, pull or build output
  bool no_tty = false;                  // -T (default: a TTY when stdin is a terminal)
  bool interactive = true;              // -i
  bool service_ports = false;           // -P: publish the service's ports
  bool use_aliases = false;             // --use-aliases
  std::vector<std::string> env_files;   // --env-from-file
  std::string name;                     // --name; "" = {project}-{service}-run-{random}
  std::optional<std::string> entrypoint;  // --entrypoint ("" clears it)
  std::vector<std::string> env;         // -e KEY=VALUE, or KEY from berth's environment
  std::vector<std::string> labels;      // -l KEY=VALUE
  std::string user;                     // -u
  std::string workdir;                  // -w
  std::vector<std::string> volumes;     // -v
  std::vector<std::string> publish;     // -p
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  ImageOptions images;                  // --build, --no-build, --pull, --quiet-pull
};

// Returns the container's exit code (0 with -d).
int run(const GlobalOptions& global, const RunOptions& options);

}  // namespace berth::service
