#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "berth/service/version.h"
#include "berth/util/error.h"
#include "app.h"

namespace berth::cli {

void register_version(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("version", "Show the berth version information");
  auto format = std::make_shared<std::string>("pretty");
  auto short_flag = std::make_shared<bool>(false);
  cmd->add_option("-f,--format", *format, "Format the output")->check(CLI::IsMember({"pretty", "json"}));
  cmd->add_flag("--short", *short_flag, "Shows only berth's version number");
  cmd->callback([format, short_flag, &ctx] {
    if (*short_flag) {
      std::cout << BERTH_VERSION << "\n";
      return;
    }
    std::optional<service::EngineVersion> engine;
    std::string engine_error;
    try {
      engine = service::engine_version();
    } catch (const Error& e) {
      engine_error = e.what();
    }
    if (*format == "json") {
      nlohmann::json out = {{"version", std::string("v") + BERTH_VERSION}};
      if (engine)
        out["engine"] = {{"version", engine->version},
                         {"api_version", engine->api_version},
                         {"os", engine->os},
                         {"arch", engine->arch}};
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << "berth version v" << BERTH_VERSION << "\n";
      if (engine) {
        std::cout << "Engine version " << engine->version << " (" << engine->os << "/" << engine->arch
                  << ")\nAPI version " << engine->api_version << "\n";
      }
    }
    std::cout.flush();
    if (!engine) {
      std::cerr << "berth: engine version unknown: " << engine_error << "\n";
      ctx.exit_code = 1;
    }
  });
}

}  // namespace berth::cli
