#include "docker_plugin.h"

#include <cstdlib>

#include "berth/util/error.h"

namespace berth::cli {

bool running_as_docker_plugin(const std::string& program) {
  if (const char* parent = std::getenv("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND"); parent && *parent) return true;
  const auto slash = program.rfind('/');
  return program.substr(slash == std::string::npos ? 0 : slash + 1) == "docker-berth";
}

std::string docker_plugin_metadata() {
  return std::string(R"J({"SchemaVersion":"0.1.0","Vendor":"berth","Version":")J") + BERTH_VERSION +
         R"J(","ShortDescription":"Compose-style stacks, secure by default (berth)"})J";
}

std::vector<std::string> plugin_arguments(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  if (argv.empty()) return out;
  out.push_back(argv[0]);
  size_t i = 1;
  // docker's global flags, "--flag value" or "--flag=value".
  for (; i < argv.size() && argv[i] != "berth"; ++i) {
    std::string flag = argv[i], value;
    const auto eq = flag.find('=');
    const bool inline_value = flag.rfind("--", 0) == 0 && eq != std::string::npos;
    if (inline_value) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    auto take_value = [&]() -> std::string {
      if (inline_value) return value;
      if (i + 1 >= argv.size()) throw Error(ErrorKind::Usage, "docker's " + flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--context" || flag == "-c") {
      // The flag names the endpoint: it wins over DOCKER_HOST, as in docker.
      ::setenv("DOCKER_CONTEXT", take_value().c_str(), 1);
      ::unsetenv("DOCKER_HOST");
    }
    else if (flag == "--host" || flag == "-H") ::setenv("DOCKER_HOST", take_value().c_str(), 1);
    else if (flag == "--config") ::setenv("DOCKER_CONFIG", take_value().c_str(), 1);
    else if (flag == "--log-level" || flag == "-l") take_value();
    else if (flag == "--debug" || flag == "-D") continue;
    else if (flag.rfind("--tls", 0) == 0)
      throw Error(ErrorKind::Usage, "docker's " + flag + ": berth does not support TLS connections to the engine yet");
    else
      throw Error(ErrorKind::Usage, "docker's global flag " + flag + " is not one berth understands");
  }
  // The plugin's name, then berth's own arguments.
  for (++i; i < argv.size(); ++i) out.push_back(argv[i]);
  return out;
}

}  // namespace berth::cli
