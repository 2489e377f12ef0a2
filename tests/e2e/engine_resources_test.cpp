// DockerEngine against the real engine: images (build, tag, remove),
// networks and volumes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/engine/docker_engine.h"
#include "engine/transport.h"
#include "berth/engine/tar.h"
#include "support/tar_archive.h"
#include "berth/util/error.h"
#include "e2e_support.h"

using namespace berth::engine;
using berth::test::read_tar;
using berth::test::TarWriter;
using berth::e2e::busybox_image;
using berth::e2e::Cleanup;
using berth::e2e::unique_name;
using nlohmann::json;

namespace {

void check_not_found(const std::function<void()>& call) {
  try {
    call();
    FAIL("still there");
  } catch (const berth::Error& e) {
    CHECK(e.kind() == berth::ErrorKind::NotFound);
  }
}

}  // namespace

TEST_CASE("engine: build an image from a tar context", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  auto tag = unique_name("build") + ":e2e";
  auto second_tag = unique_name("build-tagged") + ":again";
  Cleanup cleanup([&] {
    RemoveImageOptions force;
    force.force = true;
    try {
      engine->remove_image(second_tag, force);
    } catch (...) {
    }
    engine->remove_image(tag, force);
  });
  TarWriter context;
  context.add_file("Dockerfile", std::string("FROM ") + busybox_image() +
                                     "\nARG GREETING=unset\nCOPY hello.txt /hello.txt\n"
                                     "RUN echo \"$GREETING\" > /greeting.txt\n");
  context.add_file("hello.txt", "hello from the build context\n");
  BuildOptions options;
  options.tags = {tag};
  options.build_args = {{"GREETING", "hi"}};
  options.labels = {{"berth.test", "build"}};
  std::string output;
  auto image_id = engine->build_image(options, body_from_string(context.finish()),
                                      [&](const ProgressMessage& m) { output += m.stream; });
  CHECK_THAT(output, Catch::Contains("Step 2/5 : ARG GREETING=unset"));
  REQUIRE_FALSE(image_id.empty());

  auto inspected = engine->inspect_image(tag);
  CHECK(inspected["Id"].get<std::string>().find(image_id.substr(image_id.find(':') + 1)) != std::string::npos);
  CHECK(inspected["Config"]["Labels"]["berth.test"] == "build");

  engine->tag_image(tag, second_tag.substr(0, second_tag.find(':')), "again");
  ListImagesOptions list;
  list.filters["reference"] = {second_tag};
  auto images = engine->list_images(list);
  REQUIRE(images.size() == 1);
  CHECK(images[0].id == inspected["Id"]);

  SECTION("a failing step is an Engine error with the engine's words") {
    TarWriter broken;
    broken.add_file("Dockerfile", std::string("FROM ") + busybox_image() + "\nRUN exit 3\n");
    // forcerm: the classic builder otherwise keeps the failed step's
    // container, and tests leave nothing behind.
    BuildOptions remove_failed;
    remove_failed.force_remove_intermediate = true;
    try {
      engine->build_image(remove_failed, body_from_string(broken.finish()), nullptr);
      FAIL("built");
    } catch (const berth::Error& e) {
      CHECK(e.kind() == berth::ErrorKind::Engine);
      CHECK_THAT(e.message(), Catch::Contains("exit 3"));
    }
  }
  SECTION("pulling from an unreachable registry is an error, not a hang") {
    CHECK_THROWS_AS(engine->pull_image("localhost:1/berth-nothing:latest", {}, nullptr), berth::Error);
  }
}

TEST_CASE("engine: network create, inspect, list, connect and remove", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  auto name = unique_name("net");
  Cleanup cleanup([&] { engine->remove_network(name); });
  auto id = engine->create_network(name, {{"Driver", "bridge"}, {"Labels", {{"berth.test", name}}}});
  REQUIRE_FALSE(id.empty());
  auto inspected = engine->inspect_network(name);
  CHECK(inspected["Id"] == id);
  CHECK(inspected["Labels"]["berth.test"] == name);

  auto listed = engine->list_networks({{"label", {"berth.test=" + name}}});
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].name == name);
  CHECK(listed[0].driver == "bridge");

  try {
    engine->create_network(name, json::object());
    FAIL("created twice");
  } catch (const berth::Error& e) {
    CHECK(e.kind() == berth::ErrorKind::Conflict);
  }

  auto container = unique_name("net-member");
  Cleanup remove_container([&] {
    RemoveContainerOptions force;
    force.force = true;
    engine->remove_container(container, force);
  });
  engine->create_container(container, {{"Image", busybox_image()}, {"Cmd", {"true"}}});
  engine->connect_network(name, container, {{"Aliases", {"member"}}});
  CHECK(engine->inspect_container(container)["NetworkSettings"]["Networks"].contains(name));
  engine->disconnect_network(name, container);
  CHECK_FALSE(engine->inspect_container(container)["NetworkSettings"]["Networks"].contains(name));

  engine->remove_network(id);
  check_not_found([&] { engine->inspect_network(name); });
}

TEST_CASE("engine: volume create, inspect, list and remove", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  auto name = unique_name("vol");
  Cleanup cleanup([&] { engine->remove_volume(name, true); });
  auto created = engine->create_volume(name, {{"Labels", {{"berth.test", name}}}});
  CHECK(created.name == name);
  CHECK(created.driver == "local");
  CHECK(engine->inspect_volume(name)["Labels"]["berth.test"] == name);
  auto listed = engine->list_volumes({{"label", {"berth.test=" + name}}});
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].name == name);
  engine->remove_volume(name);
  check_not_found([&] { engine->inspect_volume(name); });
}

TEST_CASE("engine: system calls and version negotiation", "[e2e][engine]") {
  auto engine = DockerEngine::from_environment();
  auto ping = engine->ping();
  CHECK_FALSE(ping.api_version.empty());
  CHECK(engine->api_version() == negotiate_api_version(ping.api_version));
  CHECK(compare_api_versions(engine->api_version(), min_api_version) >= 0);
  CHECK_FALSE(engine->version().version.empty());
  CHECK(engine->info().contains("Containers"));
}

TEST_CASE("engine: an unreachable socket is EngineUnavailable with one clear sentence", "[e2e][engine]") {
  DockerEngine engine(make_transport(parse_docker_host("unix:///nonexistent/docker.sock")));
  try {
    engine.ping();
    FAIL("connected");
  } catch (const berth::Error& e) {
    CHECK(e.kind() == berth::ErrorKind::EngineUnavailable);
    CHECK(e.message() ==
          "cannot connect to the Docker engine at unix:///nonexistent/docker.sock: no such file "
          "(is dockerd running? scripts/setup.sh starts one)");
  }
  DockerEngine refused(make_transport(parse_docker_host("tcp://127.0.0.1:1")));
  try {
    refused.ping();
    FAIL("connected");
  } catch (const berth::Error& e) {
    CHECK(e.kind() == berth::ErrorKind::EngineUnavailable);
    CHECK_THAT(e.message(), Catch::Contains("connection refused"));
  }
}
