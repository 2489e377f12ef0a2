#pragma once
// `berth config` (the project as the loader and the security policy leave
// it, or one of its name lists) and `berth audit` (the security findings).
#include <string>
#include <vector>

#include "berth/loader/load.h"

namespace berth::service {

struct GlobalOptions;

// The lists `config` prints instead of the model, one name per line. When
// several are asked for, the first in this order wins (docker compose's).
enum class ConfigListing { None, Services, Volumes, Networks, Profiles, Images, Models };

struct ConfigOptions {
  std::string format;                 // yaml (when empty) or json; --variables: table (when empty), json, yaml
  std::string output;                 // -o FILE; "" = stdout
  bool quiet = false;                 // -q: only validate
  ConfigListing listing = ConfigListing::None;
  std::string hash;                   // --hash SERVICE,... or *
  bool variables = false;             // --variables
  bool environment = false;           // --environment
  bool resolve_image_digests = false; // refused: it needs a registry
  bool lock_image_digests = false;    // refused: it needs a registry
  loader::LoadOptions load;           // the stages --no-interpolate, --no-normalize... switch off
  std::vector<std::string> services;  // only these (and their dependencies)
};
void config(const GlobalOptions& global, const ConfigOptions& options);

struct AuditOptions {
  std::string format = "table";  // table, json or sarif
  std::string fail_on;           // low, medium, high; "" = never fail
  // engine (containers, as up runs them) or swarm (as stack deploy runs
  // them): the policy's fixes a swarm service cannot carry stay open.
  std::string target = "engine";
};
// Returns 1 when an open finding is at or above fail_on, else 0.
int audit(const GlobalOptions& global, const AuditOptions& options);

}  // namespace berth::service
