// DockerEngine against a scripted transport: the requests it sends and how
// it reads the answers.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/engine/docker_engine.h"
#include "berth/util/error.h"
#include "engine/stdcopy.h"
#include "fake_transport.h"

using berth::Error;
using berth::ErrorKind;
using namespace berth::engine;
using namespace berth::engine::testing;

TEST_CASE("API version negotiation", "[engine][version]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1.41", "1.41"}, {"1.43", "1.43"}, {"1.45", "1.43"}, {"1.42", "1.42"},
      {"2.0", "1.43"},  {"", "1.41"},     {"garbage", "1.41"},
  };
  for (const auto& [engine, expected] : cases) {
    INFO(engine);
    CHECK(negotiate_api_version(engine) == expected);
  }
  CHECK(compare_api_versions("1.9", "1.41") < 0);
  CHECK(compare_api_versions("1.41", "1.41") == 0);
  CHECK(compare_api_versions("1.41", "1.44") < 0);
  CHECK(compare_api_versions("1.100", "1.44") > 0);
  CHECK(compare_api_versions("2.0", "1.99") > 0);
}

TEST_CASE("DockerEngine prefixes requests with the negotiated version, once", "[engine][docker_engine]") {
  auto transport = std::make_unique<FakeTransport>();
  auto& fake = *transport;
  fake.responses.push_back(ping_response("1.41"));
  fake.responses.push_back(json_response(200, R"([{"Id":"abc","Names":["/web-1"],"State":"running",
      "Labels":{"com.docker.compose.project":"p"},"Ports":[{"IP":"127.0.0.1","PrivatePort":80,"PublicPort":8080,"Type":"tcp"}],
      "NetworkSettings":{"Networks":{"p_default":{}}}}])"));
  fake.responses.push_back(json_response(200, "[]"));
  DockerEngine engine(std::move(transport));

  ListContainersOptions options;
  options.all = true;
  options.filters["label"] = {"com.docker.compose.project=p"};
  auto containers = engine.list_containers(options);
  REQUIRE(containers.size() == 1);
  CHECK(containers[0].id == "abc");
  CHECK(containers[0].names == std::vector<std::string>{"/web-1"});
  CHECK(containers[0].labels.at("com.docker.compose.project") == "p");
  REQUIRE(containers[0].ports.size() == 1);
  CHECK(containers[0].ports[0].public_port == 8080);
  CHECK(containers[0].networks == std::vector<std::string>{"p_default"});
  engine.list_containers({});

  REQUIRE(fake.requests.size() == 3);
  CHECK(fake.requests[0].target == "/_ping");
  CHECK(fake.requests[1].target ==
        "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22com.docker.compose.project%3Dp%22%5D%7D");
  CHECK(fake.requests[2].target == "/v1.41/containers/json?all=0");
}

TEST_CASE("DockerEngine maps error statuses to typed errors", "[engine][docker_engine]") {
  auto transport = std::make_unique<FakeTransport>();
  auto& fake = *transport;
  fake.responses.push_back(ping_response("1.44"));
  fake.responses.push_back(json_response(404, R"({"message":"No such container: nope"})"));
  fake.responses.push_back(json_response(409, R"({"message":"You cannot remove a running container"})"));
  fake.responses.push_back(json_response(500, R"({"message":"boom"})"));
  DockerEngine engine(std::move(transport));
  struct Case {
    std::function<void()> call;
    ErrorKind kind;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[&] { engine.inspect_container("nope"); }, ErrorKind::NotFound, "No such container: nope"},
      {[&] { engine.remove_container("web"); }, ErrorKind::Conflict, "You cannot remove a running container"},
      {[&] { engine.start_container("web"); }, ErrorKind::Engine, "boom (HTTP 500)"},
  };
  for (const auto& c : cases) {
    INFO(c.message);
    try {
      c.call();
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == c.kind);
      CHECK(e.message() == c.message);
    }
  }
  CHECK(fake.requests[1].target == "/v1.43/containers/nope/json");
  CHECK(fake.requests[2].method == "DELETE");
  CHECK(fake.requests[2].target == "/v1.43/containers/web?force=0&v=0");
}

TEST_CASE("DockerEngine streams events split anywhere and stops when asked", "[engine][docker_engine]") {
  std::string line1 = R"({"Type":"container","Action":"create","Actor":{"ID":"c1","Attributes":{"name":"a"}},"time":1})";
  std::string line2 = R"({"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{"name":"a"}},"time":2})";
  std::string line3 = R"({"Type":"container","Action":"die","Actor":{"ID":"c1"},"time":3})";
  std::string payload = line1 + "\n" + line2 + "\n" + line3 + "\n";
  auto chunk = [](const std::string& data) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx", data.size());
    return std::string(size) + "\r\n" + data + "\r\n";
  };
  std::string wire = chunk(payload.substr(0, 50)) + chunk(payload.substr(50)) + "0\r\n\r\n";
  for (size_t split = 0; split <= wire.size(); split += 7) {
    INFO("split at " << split);
    auto transport = std::make_unique<FakeTransport>();
    transport->responses.push_back(ping_response("1.41"));
    transport->responses.push_back(chunked_response(200, {wire.substr(0, split), wire.substr(split)}));
    DockerEngine engine(std::move(transport));
    std::vector<std::string> actions;
    engine.events({}, [&](const Event& e) {
      actions.push_back(e.action);
      CHECK(e.actor_id == "c1");
      return e.action != "start";
    }, nullptr);
    CHECK(actions == std::vector<std::string>{"create", "start"});
  }
}

TEST_CASE("DockerEngine demultiplexes logs and reports build errors", "[engine][docker_engine]") {
  auto transport = std::make_unique<FakeTransport>();
  auto& fake = *transport;
  fake.responses.push_back(ping_response("1.41"));
  std::string frames = stdcopy_frame(StreamKind::Stdout, "out\n") + stdcopy_frame(StreamKind::Stderr, "err\n");
  CannedResponse logs;
  logs.head.status = 200;
  logs.pieces = {frames.substr(0, 5), frames.substr(5, 9), frames.substr(14)};
  fake.responses.push_back(logs);
  fake.responses.push_back(chunked_response(
      200, {"2b\r\n{\"stream\":\"Step 1/2 : FROM x\\n\"}\r\n{\"error\"\r\n"
            "23\r\n:\"failed\",\"errorDetail\":{\"x\":1}}\r\n\r\n0\r\n\r\n"}));
  DockerEngine engine(std::move(transport));

  std::string out, err;
  LogsOptions options;
  options.tty = false;
  engine.container_logs("web", options, [&](StreamKind kind, std::string_view data) {
    (kind == StreamKind::Stdout ? out : err).append(data);
  });
  CHECK(out == "out\n");
  CHECK(err == "err\n");

  std::vector<std::string> streamed;
  BuildOptions build;
  build.tags = {"a:1", "b:2"};
  build.build_args = {{"X", "1"}};
  build.extra_hosts = {"h1:1.2.3.4", "h2:5.6.7.8"};
  try {
    engine.build_image(build, [](std::string&) { return false; },
                       [&](const ProgressMessage& m) { streamed.push_back(m.stream + m.error); });
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Engine);
    CHECK(e.message() == "failed");
  }
  CHECK(streamed == std::vector<std::string>{"Step 1/2 : FROM x\n", "failed"});
  CHECK(fake.requests[2].target ==
        "/v1.41/build?t=a%3A1&t=b%3A2&buildargs=%7B%22X%22%3A%221%22%7D&rm=1"
        "&extrahosts=h1%3A1.2.3.4&extrahosts=h2%3A5.6.7.8");
}
