// config and audit: the project as berth reads it, and its security findings.
#include <CLI/CLI.hpp>

#include "berth/service/config.h"
#include "app.h"

namespace berth::cli {
namespace {

// The flags that print names, one per line, instead of the model; the first
// in this table wins when several are given (docker compose's order).
struct NameListing {
  const char* flag;
  const char* help;
  service::ConfigListing listing;
};

constexpr NameListing kNameListings[] = {
    {"--services", "Print the service names, one per line", service::ConfigListing::Services},
    {"--volumes", "Print the volume names, one per line", service::ConfigListing::Volumes},
    {"--networks", "Print the network names, one per line", service::ConfigListing::Networks},
    {"--profiles", "Print the profile names, one per line", service::ConfigListing::Profiles},
    {"--images", "Print the image names, one per line", service::ConfigListing::Images},
    {"--models", "Print the model names, one per line", service::ConfigListing::Models},
};

// The flags that switch a loader stage off: each clears one LoadOptions field.
struct StageFlag {
  const char* flag;
  const char* help;
  bool loader::LoadOptions::*stage;
};

const StageFlag kStageFlags[] = {
    {"--no-interpolate", "Don't interpolate environment variables", &loader::LoadOptions::interpolate},
    {"--no-normalize", "Don't normalize compose model", &loader::LoadOptions::normalize},
    {"--no-path-resolution", "Don't resolve file paths", &loader::LoadOptions::resolve_paths},
    {"--no-env-resolution", "Don't resolve service env files", &loader::LoadOptions::resolve_environment},
    {"--no-consistency", "Don't check model consistency - warning: may produce invalid Compose output",
     &loader::LoadOptions::consistency},
};

}  // namespace

void register_config(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("config", "Parse, resolve and render compose file in canonical format");
  auto o = std::make_shared<service::ConfigOptions>();
  cmd->add_option("--format", o->format, "Format the output. Values: [yaml | json] (--variables: also table)")
      ->check(CLI::IsMember({"yaml", "json", "table"}));
  cmd->add_option("-o,--output", o->output, "Save to file (default to stdout)");
  cmd->add_flag("-q,--quiet", o->quiet, "Only validate the configuration, don't print anything");
  for (const auto& listing : kNameListings)
    cmd->add_flag_callback(
        listing.flag,
        [o, chosen = listing.listing] {
          if (o->listing == service::ConfigListing::None || chosen < o->listing) o->listing = chosen;
        },
        listing.help);
  cmd->add_option("--hash", o->hash, "Print the service config hash, one per line (SERVICE,... or *)");
  cmd->add_flag("--variables", o->variables, "Print model variables and default values");
  cmd->add_flag("--environment", o->environment, "Print environment used for interpolation");
  for (const auto& flag : kStageFlags)
    cmd->add_flag_callback(flag.flag, [o, stage = flag.stage] { o->load.*stage = false; }, flag.help);
  cmd->add_flag("--resolve-image-digests", o->resolve_image_digests, "Pin image tags to digests (not supported)");
  cmd->add_flag("--lock-image-digests", o->lock_image_digests,
                "Produces an override file with image digests (not supported)");
  cmd->add_option("service", o->services, "Services to render (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::config(*global, *o); });
}

void register_audit(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("audit", "Report the security findings of the project, with references and fixes");
  auto o = std::make_shared<service::AuditOptions>();
  cmd->add_option("--format", o->format, "Output format: table, json or sarif")
      ->check(CLI::IsMember({"table", "json", "sarif"}));
  cmd->add_option("--fail-on", o->fail_on, "Exit with 1 when an open finding has this severity or higher")
      ->check(CLI::IsMember({"low", "medium", "high"}));
  cmd->add_option("--target", o->target,
                  "Where the project runs: engine (up) or swarm (stack deploy: fixes a swarm cannot carry stay open)")
      ->check(CLI::IsMember({"engine", "swarm"}));
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([o, global, exit_code] { *exit_code = service::audit(*global, *o); });
}

}  // namespace berth::cli
