#include "cli/completion.h"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

using berth::cli::complete_command_line;
using berth::cli::CompletionFallback;
using berth::cli::CompletionResult;
using berth::cli::format_completion;
using berth::cli::ProjectNames;
using berth::loader::ProjectOptions;

namespace {

// A small app shaped like berth's: global flags that fall through, commands
// with flags, service positionals and a command that passes its tail on.
struct TestApp {
  CLI::App app{"test", "berth"};
  std::vector<std::string> files, profiles, strings;
  std::string text, project_name, env;
  bool flag = false;

  TestApp() {
    app.fallthrough();
    app.add_option("-f,--file", files, "Compose configuration files")->type_name("FILE");
    app.add_option("-p,--project-name", project_name, "Project name");
    app.add_option("--profile", profiles, "Profile to enable");
    app.add_option("--env", env, "Environment");
    app.add_option("--progress", text, "Type of progress output")
        ->check(CLI::IsMember({"auto", "plain", "quiet"}));

    auto* up = app.add_subcommand("up", "Create and start containers");
    up->add_flag("-d,--detach", flag, "Detached mode");
    up->add_flag("--no-deps", flag, "Don't start linked services");
    up->add_option("--scale", strings, "Scale SERVICE to NUM instances");
    up->add_option("service", strings, "Services");

    auto* exec = app.add_subcommand("exec", "Execute a command in a running container");
    exec->add_option("-u,--user", text, "Run the command as this user");
    exec->add_option("service", text, "Service")->required();
    exec->prefix_command();
    exec->allow_extras();
    exec->fallthrough(false);

    auto* scale = app.add_subcommand("scale", "Scale services");
    scale->add_option("SERVICE=REPLICAS", strings, "Services and their replica counts");

    auto* help = app.add_subcommand("help", "Help about any command");
    help->add_option("command", text, "Command");

    app.add_subcommand("__complete", "hidden")->group("");
  }
};

std::vector<std::string> values(const CompletionResult& result) {
  std::vector<std::string> out;
  for (const auto& c : result.candidates) out.push_back(c.value);
  return out;
}

struct FakeProject {
  int loads = 0;
  ProjectOptions seen;
  berth::cli::ProjectNamesLoader loader() {
    return [this](const ProjectOptions& typed) {
      ++loads;
      seen = typed;
      return ProjectNames{{"db", "web", "worker"}, {"debug", "dev"}, {"dev", "prod"}};
    };
  }
};

}  // namespace

TEST_CASE("completion offers the visible commands with their descriptions", "[cli][completion]") {
  TestApp t;
  FakeProject project;
  auto all = complete_command_line(t.app, {""}, project.loader());
  CHECK(values(all) == std::vector<std::string>{"up", "exec", "scale", "help"});
  CHECK(all.candidates[0].description == "Create and start containers");
  CHECK(values(complete_command_line(t.app, {"s"}, project.loader())) == std::vector<std::string>{"scale"});
  CHECK(values(complete_command_line(t.app, {"-p", "x", "e"}, project.loader())) ==
        std::vector<std::string>{"exec"});
  CHECK(project.loads == 0);  // commands need no project
}

TEST_CASE("completion offers a command's flags and the global ones", "[cli][completion]") {
  TestApp t;
  FakeProject project;
  auto long_flags = values(complete_command_line(t.app, {"up", "--"}, project.loader()));
  CHECK(long_flags == std::vector<std::string>{"--help", "--detach", "--no-deps", "--scale", "--file",
                                               "--project-name", "--profile", "--env", "--progress"});
  CHECK(values(complete_command_line(t.app, {"up", "--no"}, project.loader())) ==
        std::vector<std::string>{"--no-deps"});
  auto dash = values(complete_command_line(t.app, {"up", "-"}, project.loader()));
  CHECK(std::find(dash.begin(), dash.end(), "-d") != dash.end());
  CHECK(std::find(dash.begin(), dash.end(), "-f") != dash.end());
  // A flag given once is not offered again; a repeatable one is.
  auto after = values(complete_command_line(t.app, {"up", "-d", "--scale", "web=2", "--"}, project.loader()));
  CHECK(std::find(after.begin(), after.end(), "--detach") == after.end());
  CHECK(std::find(after.begin(), after.end(), "--scale") != after.end());
}

TEST_CASE("completion offers fixed choices of a flag also after --flag=", "[cli][completion]") {
  TestApp t;
  FakeProject project;
  CHECK(values(complete_command_line(t.app, {"--progress", ""}, project.loader())) ==
        std::vector<std::string>{"auto", "plain", "quiet"});
  CHECK(values(complete_command_line(t.app, {"up", "--progress", "p"}, project.loader())) ==
        std::vector<std::string>{"plain"});
  CHECK(values(complete_command_line(t.app, {"--progress=q"}, project.loader())) ==
        std::vector<std::string>{"--progress=quiet"});
}

TEST_CASE("completion offers services and profiles and environments of the typed project", "[cli][completion]") {
  TestApp t;
  FakeProject project;
  CHECK(values(complete_command_line(t.app, {"-f", "a.yml", "--file=b.yml", "-p", "shop", "up", "-d", "web", ""},
                                     project.loader())) == std::vector<std::string>{"db", "worker"});
  CHECK(project.seen.files == std::vector<std::string>{"a.yml", "b.yml"});
  CHECK(project.seen.project_name == "shop");
  CHECK(values(complete_command_line(t.app, {"up", "--scale", "w"}, project.loader())) ==
        std::vector<std::string>{"web=", "worker="});
  CHECK(values(complete_command_line(t.app, {"scale", "d"}, project.loader())) == std::vector<std::string>{"db="});
  CHECK(values(complete_command_line(t.app, {"--profile", "de"}, project.loader())) ==
        std::vector<std::string>{"debug", "dev"});
  CHECK(values(complete_command_line(t.app, {"--profile", "dev", "--env", ""}, project.loader())) ==
        std::vector<std::string>{"dev", "prod"});
  CHECK(project.seen.profiles == std::vector<std::string>{"dev"});
  CHECK(values(complete_command_line(t.app, {"--env", "dev", "exec", "w"}, project.loader())) ==
        std::vector<std::string>{"web", "worker"});
  CHECK(project.seen.environment == std::optional<std::string>("dev"));
}

TEST_CASE("completion stops at the words a command passes on", "[cli][completion]") {
  TestApp t;
  FakeProject project;
  CHECK(complete_command_line(t.app, {"exec", "web", ""}, project.loader()).candidates.empty());
  CHECK(complete_command_line(t.app, {"exec", "web", "ls", "-"}, project.loader()).candidates.empty());
  CHECK(values(complete_command_line(t.app, {"exec", "-"}, project.loader())) ==
        std::vector<std::string>{"-h", "--help", "-u", "--user"});  // exec does not fall through
  // After "--" every word is a positional: no flags, services.
  CHECK(complete_command_line(t.app, {"up", "--", "-"}, project.loader()).candidates.empty());
  CHECK(complete_command_line(t.app, {"up", "--", ""}, project.loader()).candidates.size() == 3);
}

TEST_CASE("completion asks the shell for paths after a file flag", "[cli][completion]") {
  TestApp t;
  FakeProject project;
  auto result = complete_command_line(t.app, {"-f", ""}, project.loader());
  CHECK(result.candidates.empty());
  CHECK(result.fallback == CompletionFallback::Files);
  CHECK(format_completion(result) == ":files\n");
}

TEST_CASE("completion of help offers the commands", "[cli][completion]") {
  TestApp t;
  FakeProject project;
  CHECK(values(complete_command_line(t.app, {"help", "u"}, project.loader())) == std::vector<std::string>{"up"});
}

TEST_CASE("completion prints nothing dynamic when the project does not load", "[cli][completion]") {
  TestApp t;
  auto failing = [](const ProjectOptions&) -> ProjectNames { throw std::runtime_error("no compose file"); };
  CHECK(complete_command_line(t.app, {"up", ""}, failing).candidates.empty());
  CHECK(values(complete_command_line(t.app, {"up", "--no"}, failing)) == std::vector<std::string>{"--no-deps"});
}

TEST_CASE("completion output is one candidate a line with an optional description", "[cli][completion]") {
  CompletionResult result;
  result.candidates = {{"up", "Create and\nstart"}, {"web", ""}};
  result.fallback = CompletionFallback::Directories;
  CHECK(format_completion(result) == "up\tCreate and start\nweb\n:dirs\n");
}
