// stack: the project deployed to a swarm, as `docker stack` has it.
#include <CLI/CLI.hpp>

#include "berth/service/global_options.h"
#include "berth/service/stack.h"
#include "berth/util/error.h"
#include "app.h"

namespace berth::cli {

void register_stack(CLI::App& app, CommandContext& ctx) {
  auto* stack = app.add_subcommand("stack", "Manage Swarm stacks");
  stack->require_subcommand(1);
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;

  auto* deploy = stack->add_subcommand("deploy", "Deploy a new stack or update an existing stack");
  auto d = std::make_shared<service::StackDeployOptions>();
  deploy->add_option("-c,--compose-file", d->compose_files, "Path to a Compose file, or \"-\" to read from stdin")
      ->allow_extra_args(false);
  deploy->add_flag("--prune", d->prune, "Prune services that are no longer referenced");
  deploy->add_flag("--with-registry-auth", d->with_registry_auth, "Send registry authentication details to Swarm agents");
  deploy->add_option("--resolve-image", d->resolve_image,
                     "Query the registry to resolve image digest and supported platforms (\"always\", \"changed\", \"never\")")
      ->check(CLI::IsMember({"always", "changed", "never"}));
  deploy->add_flag("-d,--detach", d->detach, "Exit immediately instead of waiting for the stack services to converge");
  deploy->add_flag("-q,--quiet", d->quiet, "Suppress progress output");
  deploy->add_option("stack", d->stack, "Stack name")->required();
  deploy->add_option("service", d->services, "Services to deploy or update (default: all)");
  deploy->callback([d, global, exit_code] {
    GlobalOptions g = *global;
    if (d->quiet) g.progress = "quiet";
    *exit_code = service::stack_deploy(g, *d);
  });

  auto* ls = stack->add_subcommand("ls", "List stacks");
  auto l = std::make_shared<service::StackListOptions>();
  ls->add_option("--format", l->format, "Format output using a custom template: 'table', 'json' or a Go template");
  ls->callback([l, global] { service::stack_ls(*global, *l); });

  auto* ps = stack->add_subcommand("ps", "List the tasks in the stack");
  auto p = std::make_shared<service::StackPsOptions>();
  ps->add_option("-f,--filter", p->filters, "Filter output based on conditions provided")->allow_extra_args(false);
  ps->add_flag("--no-trunc", p->no_trunc, "Do not truncate output");
  ps->add_flag("-q,--quiet", p->quiet, "Only display task IDs");
  ps->add_option("--format", p->format, "Format output using a custom template: 'table', 'json' or a Go template");
  ps->add_option("stack", p->stack, "Stack name")->required();
  ps->callback([p, global] { service::stack_ps(*global, *p); });

  auto* services = stack->add_subcommand("services", "List the services in the stack");
  auto s = std::make_shared<service::StackServicesOptions>();
  services->add_option("-f,--filter", s->filters, "Filter output based on conditions provided")->allow_extra_args(false);
  services->add_flag("-q,--quiet", s->quiet, "Only display IDs");
  services->add_option("--format", s->format, "Format output using a custom template: 'table', 'json' or a Go template");
  services->add_option("stack", s->stack, "Stack name")->required();
  services->callback([s, global] { service::stack_services(*global, *s); });

  auto* rm = stack->add_subcommand("rm", "Remove one or more stacks");
  auto stacks = std::make_shared<std::vector<std::string>>();
  auto rm_detach = std::make_shared<bool>(false);
  rm->add_flag("-d,--detach", *rm_detach, "Do not wait for stack removal");
  rm->add_option("stack", *stacks, "Stack names")->required();
  rm->callback([stacks, rm_detach, global] { service::stack_rm(*global, *stacks, *rm_detach); });
}

}  // namespace berth::cli
