#pragma once
// `berth stack`: the project deployed to a swarm (see the README's "Swarm
// stacks" section). The same loader, profiles, environments and security
// policy as every berth command; the stack module maps the model to swarm
// objects; this converges them.
#include <string>
#include <vector>

namespace berth::service {

struct GlobalOptions;

struct StackDeployOptions {
  std::string stack;
  std::vector<std::string> services;     // only these (and no pruning of the others)
  std::vector<std::string> compose_files;  // -c (else the global -f / discovery)
  bool prune = false;                    // --prune: remove services no longer in the files
  bool detach = false;                   // --detach: do not wait for convergence
  bool with_registry_auth = false;       // --with-registry-auth
  std::string resolve_image = "always";  // --resolve-image always|changed|never
  bool quiet = false;                    // -q
};
// Returns 0, or throws berth::Error (a task that failed while waiting).
int stack_deploy(const GlobalOptions& global, const StackDeployOptions& options);

struct StackListOptions {
  std::string format;  // "" (table), "json", or a Go template
};
void stack_ls(const GlobalOptions& global, const StackListOptions& options);

struct StackPsOptions {
  std::string stack;
  std::vector<std::string> filters;  // key=value (id, name, node, desired-state)
  bool no_trunc = false;
  bool quiet = false;
  std::string format;
};
void stack_ps(const GlobalOptions& global, const StackPsOptions& options);

struct StackServicesOptions {
  std::string stack;
  std::vector<std::string> filters;  // key=value (id, name, mode, label)
  bool quiet = false;
  std::string format;
};
void stack_services(const GlobalOptions& global, const StackServicesOptions& options);

// Removes each stack's services, then its secrets, configs and networks
// (never volumes), as docker stack rm does.
void stack_rm(const GlobalOptions& global, const std::vector<std::string>& stacks, bool detach);

}  // namespace berth::service
