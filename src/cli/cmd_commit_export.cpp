// commit and export: a service container's changes as an image, its
// filesystem as a tar archive.
#include <CLI/CLI.hpp>

#include "berth/service/containers.h"
#include "app.h"

namespace berth::cli {

void register_commit(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("commit", "Create a new image from a service container's changes");
  auto o = std::make_shared<service::CommitOptions>();
  cmd->add_option("-a,--author", o->author, "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")");
  cmd->add_option("-c,--change", o->changes, "Apply Dockerfile instruction to the created image")
      ->allow_extra_args(false);
  cmd->add_option("--index", o->index, "index of the container if service has multiple replicas");
  cmd->add_option("-m,--message", o->message, "Commit message");
  cmd->add_flag("-p,--pause", o->pause, "Pause container during commit (default true)");
  cmd->add_option("service", o->service, "Service")->required();
  cmd->add_option("reference", o->reference, "REPOSITORY[:TAG] of the new image");
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::commit(*global, *o); });
}

void register_export(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("export", "Export a service container's filesystem as a tar archive");
  auto o = std::make_shared<service::ExportOptions>();
  cmd->add_option("--index", o->index, "index of the container if service has multiple replicas");
  cmd->add_option("-o,--output", o->output, "Write to a file, instead of STDOUT");
  cmd->add_option("service", o->service, "Service")->required();
  GlobalOptions* global = &ctx.global;
  cmd->callback([o, global] { service::export_filesystem(*global, *o); });
}

}  // namespace berth::cli
