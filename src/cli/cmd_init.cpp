#include <CLI/CLI.hpp>

#include "berth/service/global_options.h"
#include "berth/service/init.h"
#include "app.h"

namespace berth::cli {

void register_init(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "init", "Write a Dockerfile, .dockerignore, compose.yaml, dev.yml and entrypoint for the app in a directory");
  auto o = std::make_shared<service::InitOptions>();
  cmd->add_option("directory", o->directory, "The application's directory (default: the current one)");
  cmd->add_option("--entry", o->entry, "The script that starts the app (default: guessed, e.g. app.py, main.py)");
  cmd->add_option("--base-image", o->base_image,
                  "Default base image (default: python:3.11-slim or busybox:1.36; offline: "
                  "berth-local/python:3.11 or berth-local/busybox:latest)");
  cmd->add_option("--port", o->port, "The port the app listens on (default: 8000 for Python, 8080 for a static site)")
      ->check(CLI::Range(1, 65535));
  cmd->add_flag("--force", o->force, "Overwrite files that already exist");
  cmd->callback([o, &ctx] {
    o->dry_run = ctx.global.dry_run;
    service::init(*o);
  });
}

}  // namespace berth::cli
