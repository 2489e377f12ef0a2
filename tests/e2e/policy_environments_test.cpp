#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
using nlohmann::json;

namespace {

// app always; sidecar only in dev (profiles: [dev]); debug carries a label prod forbids.
std::string environments_project(const std::string& debug_profiles) {
  std::string service_head = std::string("    image: ") + busybox_image() +
                             "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n";
  return "services:\n  app:\n" + service_head + "  sidecar:\n" + service_head + "    profiles: [dev]\n" +
         "  debug:\n" + service_head + debug_profiles + "    labels:\n      not.for.prod: \"true\"\n" +
         "x-berth:\n  environments:\n    dev: {profiles: [dev], files: [dev.yml]}\n"
         "    prod: {forbid_labels: [not.for.prod]}\n";
}

}  // namespace

TEST_CASE("berth --env dev up brings up the dev sidecar and BERTH_ENV does the same", "[e2e][policy][environments]") {
  Stack stack("policy-env-dev", environments_project("    profiles: [debug]\n"));
  std::ofstream(stack.dir() / "dev.yml") << "services:\n  app:\n    environment:\n      MODE: dev\n";

  auto plain = stack.berth({"up", "-d"});
  INFO(plain.err);
  REQUIRE(plain.exit_code == 0);
  CHECK(stack.ids_by_service().count("sidecar") == 0);

  auto dev = stack.berth({"--env", "dev", "up", "-d"});
  INFO(dev.err);
  REQUIRE(dev.exit_code == 0);
  auto services = stack.ids_by_service();
  CHECK(services.count("app") == 1);
  CHECK(services.count("sidecar") == 1);
  CHECK(services.count("debug") == 0);
  json env = stack.engine().inspect_container(stack.container("app"))["Config"]["Env"];
  CHECK(std::find(env.begin(), env.end(), "MODE=dev") != env.end());  // dev.yml was layered

  auto config = stack.berth({"config", "--services"}, {"BERTH_ENV=dev"});
  CHECK(config.out == "app\nsidecar\n");

  REQUIRE(stack.berth({"down", "-t", "0"}).exit_code == 0);
  auto from_env = stack.berth({"up", "-d"}, {"BERTH_ENV=dev"});
  INFO(from_env.err);
  REQUIRE(from_env.exit_code == 0);
  CHECK(stack.ids_by_service().count("sidecar") == 1);

  auto unknown = stack.berth({"--env", "staging", "up", "-d"});
  CHECK(unknown.exit_code == 1);
  CHECK(contains(unknown.err, "unknown environment \"staging\""));
  CHECK(contains(unknown.err, "dev, prod"));
}

TEST_CASE("berth --env prod refuses a service labelled not.for.prod and creates nothing", "[e2e][policy][environments]") {
  Stack stack("policy-env-prod", environments_project(""));
  auto refused = stack.berth({"--env", "prod", "up", "-d"});
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "service \"debug\""));
  CHECK(contains(refused.err, "label \"not.for.prod\""));
  CHECK(contains(refused.err, "environment \"prod\""));
  CHECK(stack.containers().empty());
  CHECK(stack.networks().empty());

  auto from_env = stack.berth({"create"}, {"BERTH_ENV=prod"});
  CHECK(from_env.exit_code == 1);
  CHECK(contains(from_env.err, "label \"not.for.prod\""));
  CHECK(stack.containers().empty());

  // The same file without an environment runs (the label means nothing there).
  auto plain = stack.berth({"up", "-d"});
  INFO(plain.err);
  CHECK(plain.exit_code == 0);
}

TEST_CASE("a file written to a bind mount as ${UID}:${GID} belongs to the invoking user", "[e2e][policy][uid]") {
  Stack stack("policy-uid", std::string("services:\n  writer:\n    image: ") + busybox_image() +
                                "\n    user: \"${UID}:${GID}\"\n    volumes: [\"./data:/data\"]\n"
                                "    command: [\"sh\", \"-c\", \"echo hi > /data/$$WHO\"]\n"
                                "    environment: {WHO: \"${WHO}\"}\n");
  std::filesystem::create_directories(stack.dir() / "data");
  // World-writable, so that any uid the test picks can create its file.
  std::filesystem::permissions(stack.dir() / "data", std::filesystem::perms::all);

  auto owner_of = [&](const std::string& name) {
    struct stat st {};
    if (::stat((stack.dir() / "data" / name).c_str(), &st) != 0) return std::pair<long, long>{-1, -1};
    return std::pair<long, long>{static_cast<long>(st.st_uid), static_cast<long>(st.st_gid)};
  };

  // Without overrides: the invoking user's ids (SUDO_UID/SUDO_GID when run through sudo).
  const char* sudo_uid = std::getenv("SUDO_UID");
  const char* sudo_gid = std::getenv("SUDO_GID");
  long uid = sudo_uid ? std::stol(sudo_uid) : static_cast<long>(::getuid());
  long gid = sudo_gid ? std::stol(sudo_gid) : static_cast<long>(::getgid());
  auto mine = stack.berth({"run", "--rm", "writer"}, {"WHO=mine"});
  INFO(mine.err);
  REQUIRE(mine.exit_code == 0);
  CHECK(owner_of("mine") == std::pair<long, long>{uid, gid});

  // UID/GID from the environment win, as for any other variable.
  auto other = stack.berth({"run", "--rm", "writer"}, {"WHO=other", "UID=1234", "GID=1234"});
  INFO(other.err);
  REQUIRE(other.exit_code == 0);
  CHECK(owner_of("other") == std::pair<long, long>{1234, 1234});
  std::filesystem::remove_all(stack.dir() / "data");  // files of another uid: the Stack's cleanup stays simple
}
