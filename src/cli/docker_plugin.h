#pragma once
// berth as a docker CLI plugin: installed as docker-berth in a cli-plugins
// directory, it answers `docker-cli-plugin-metadata`, and `docker [FLAGS]
// berth ARGS...` runs it with docker's global flags, the word "berth",
// then berth's arguments.
#include <string>
#include <vector>

namespace berth::cli {

// Whether the docker CLI started berth as its plugin: it sets
// DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND; a binary named docker-berth counts too.
bool running_as_docker_plugin(const std::string& program);

// What `docker-berth docker-cli-plugin-metadata` prints.
std::string docker_plugin_metadata();

// berth's own argv (program name first) from the plugin's: docker's global
// flags before "berth" become what berth reads (--context/-c as
// DOCKER_CONTEXT, --host/-H as DOCKER_HOST, --config as DOCKER_CONFIG;
// --debug and --log-level are dropped); --tls* is refused (berth has no
// TLS yet). Throws berth::Error (Usage).
std::vector<std::string> plugin_arguments(const std::vector<std::string>& argv);

}  // namespace berth::cli
