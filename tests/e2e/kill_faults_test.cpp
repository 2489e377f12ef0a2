// Fault injection: berth SIGKILLed at random moments (seeded; the seed is
// printed and BERTH_FAULT_SEED replays it) during `up` of a 20-service stack
// whose named volumes hold data, during `down`, and during a rebuild. The
// next run must converge: one container per service, one network, every
// volume and its data intact. The state is read from the engine's API, and
// the data through the docker CLI, not through berth.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>
#include <random>
#include <regex>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
using namespace std::chrono_literals;

namespace {

constexpr int kServices = 20;

std::string stack_yaml(const std::string& round) {
  std::string yaml = "services:\n";
  for (int i = 0; i < kServices; ++i) {
    auto name = "s" + std::to_string(i);
    yaml += "  " + name + ":\n    image: " + std::string(busybox_image()) +
            "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n"
            "    environment: {ROUND: \"" + round + "\"}\n    volumes: [\"" + name + "-data:/data\"]\n";
  }
  yaml += "  built:\n    build: ./app\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n";
  yaml += "volumes:\n";
  for (int i = 0; i < kServices; ++i) yaml += "  s" + std::to_string(i) + "-data: {}\n";
  return yaml;
}

unsigned fault_seed() {
  if (const char* seed = std::getenv("BERTH_FAULT_SEED")) return static_cast<unsigned>(std::strtoul(seed, nullptr, 10));
  return std::random_device{}();
}

std::string docker_exec(const std::string& container, const std::string& script) {
  auto result = run_command({"docker", "exec", container, "sh", "-c", script});
  return result.exit_code == 0 ? result.out : "exit " + std::to_string(result.exit_code) + ": " + result.err;
}

// One running container per service named {project}-{service}-1, one
// network, all volumes; `built` runs the image of the latest build.
void check_converged(Stack& stack) {
  auto containers = stack.containers();
  CHECK(containers.size() == kServices + 1u);
  for (const auto& c : containers) {
    std::string name = c.names.empty() ? c.id : c.names.front().substr(1);
    CAPTURE(name);
    CHECK(std::regex_match(name, std::regex(stack.project() + "-(s[0-9]+|built)-1")));
    CHECK(c.state == "running");
  }
  CHECK(stack.networks() == std::set<std::string>{stack.project() + "_default"});
  CHECK(stack.volumes().size() == static_cast<size_t>(kServices));
}

void check_data(Stack& stack) {
  for (int i = 0; i < kServices; ++i) {
    auto service = "s" + std::to_string(i);
    CHECK(docker_exec(stack.container(service), "cat /data/payload") == "payload of " + service + "\n");
  }
}

void run_and_kill(Stack& stack, const std::vector<std::string>& args, std::chrono::milliseconds after,
                  const std::string& label) {
  BackgroundRun run(stack.argv(args), stack.dir() / label);
  std::this_thread::sleep_for(after);
  run.signal(SIGKILL);
  run.wait();
}

}  // namespace

TEST_CASE("berth killed at random moments during up, down and a rebuild: the next run converges, data intact",
          "[e2e][faults][sigkill]") {
  const unsigned seed = fault_seed();
  std::cerr << "kill faults: seed " << seed << " (BERTH_FAULT_SEED=" << seed << " replays it)\n";
  CAPTURE(seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> moment_ms(0, 2500);

  Stack stack("sigkill", stack_yaml("0"));
  std::filesystem::create_directories(stack.dir() / "app");
  std::ofstream(stack.dir() / "app/Dockerfile") << "FROM " << busybox_image() << "\nARG STAMP=0\nRUN echo $STAMP > /stamp\n";
  auto first = stack.berth({"up", "-d"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  for (int i = 0; i < kServices; ++i) {
    auto service = "s" + std::to_string(i);
    REQUIRE(docker_exec(stack.container(service), "echo 'payload of " + service + "' > /data/payload").empty());
  }

  for (int round = 1; round <= 3; ++round) {
    // A changed environment recreates all twenty: killed mid-recreation.
    auto moment = std::chrono::milliseconds(moment_ms(random));
    INFO("up round " << round << ", killed after " << moment.count() << " ms");
    stack.write(stack_yaml(std::to_string(round)));
    run_and_kill(stack, {"up", "-d"}, moment, "up" + std::to_string(round));
    auto again = stack.berth({"up", "-d"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    check_converged(stack);
    check_data(stack);
  }

  for (int round = 1; round <= 2; ++round) {
    auto moment = std::chrono::milliseconds(moment_ms(random) / 2);
    INFO("down round " << round << ", killed after " << moment.count() << " ms");
    run_and_kill(stack, {"down", "-t", "1"}, moment, "down" + std::to_string(round));
    auto down = stack.berth({"down", "-t", "1"});
    INFO(down.err);
    REQUIRE(down.exit_code == 0);
    CHECK(stack.containers().empty());
    CHECK(stack.networks().empty());
    CHECK(stack.volumes().size() == static_cast<size_t>(kServices));  // down without -v keeps them
    auto up = stack.berth({"up", "-d"});
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    check_converged(stack);
    check_data(stack);
  }

  for (int round = 1; round <= 2; ++round) {
    auto moment = std::chrono::milliseconds(moment_ms(random));
    INFO("rebuild round " << round << ", killed after " << moment.count() << " ms");
    std::ofstream(stack.dir() / "app/Dockerfile", std::ios::trunc)
        << "FROM " << busybox_image() << "\nRUN echo " << round << " > /stamp\n";
    run_and_kill(stack, {"up", "-d", "--build"}, moment, "build" + std::to_string(round));
    auto again = stack.berth({"up", "-d", "--build"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    check_converged(stack);
    CHECK(docker_exec(stack.container("built"), "cat /stamp") == std::to_string(round) + "\n");
    check_data(stack);
  }
}
