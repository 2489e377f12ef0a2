#pragma once
// The canonical form of a project document (after to_json and schema
// validation): every short syntax rewritten to compose's long syntax, as
// `docker compose config` prints it. Ports, expose, volumes, depends_on,
// environment, env_file, command/entrypoint, build, secrets/configs, ulimits,
// extra_hosts, labels, sysctls, networks, byte units, durations, devices,
// blkio_config, gpus, tmpfs, cpus.
//
// Invalid short syntax (a port, volume, duration or byte size that cannot be
// parsed) throws Error(ErrorKind::Config, "file:line:col: services.web.ports.0: ...").
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "berth/loader/short_syntax.h"
#include "berth/util/error.h"

namespace berth::loader {

// Where the value at a JSON pointer ("/services/web/ports/0") came from; an
// unknown mark when nobody knows. front's PositionMap is adapted to this.

struct CanonicalContext {
  std::string project_dir;  // absolute; relative paths resolve against it
  std::map<std::string, std::string> environment;  // for `environment: [A]` and env_file values
  MarkLookup mark;          // may be empty
  bool resolve_paths = true;  // --no-path-resolution turns this off
  bool keep_unparsed = false;  // --no-interpolate: what does not parse stays as written
  // env_file read and merged into environment (then dropped, as compose's
  // config shows it), for every service or only those named.
  bool resolve_environment = true;
  std::optional<std::set<std::string>> environment_of;
  std::string home_dir;     // for "~"; empty = $HOME
};

// New JSON pointer -> the pointer the value had in the document as written,
// for values the canonical form moved (list items that became mapping
// entries, expanded port ranges).
using PointerAliases = std::unordered_map<std::string, std::string>;

// Rewrites the document in place; records moved values in `aliases` when given.
void canonicalize(nlohmann::json& project, const CanonicalContext& ctx,
                  PointerAliases* aliases = nullptr);

// A lookup that first maps pointers through `aliases`, so that later stages
// (consistency checks) point at what the user wrote.
MarkLookup with_aliases(MarkLookup mark, std::shared_ptr<const PointerAliases> aliases);

// Formats "file:line:col: dotted.path: message" (or without the mark when unknown).
std::string located(const MarkLookup& mark, const std::string& json_pointer,
                    const std::string& message);

}  // namespace berth::loader
