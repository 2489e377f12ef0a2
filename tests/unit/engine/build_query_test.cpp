// The query string of POST /build for each classic builder option, as the
// engine's API reference names and encodes them.
#include <catch2/catch.hpp>

#include "berth/engine/docker_engine.h"
#include "fake_transport.h"

using namespace berth::engine;
using namespace berth::engine::testing;

TEST_CASE("POST /build carries every classic builder option in its query", "[engine][build]") {
  auto transport = std::make_unique<FakeTransport>();
  auto& fake = *transport;
  fake.responses.push_back(ping_response("1.41"));
  const std::string body = "{\"aux\":{\"ID\":\"sha256:abc\"}}\r\n";
  char size_line[16];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", body.size());
  fake.responses.push_back(chunked_response(200, {size_line + body + "\r\n0\r\n\r\n"}));
  DockerEngine engine(std::move(transport));

  BuildOptions build;
  build.dockerfile = "sub/Dockerfile";
  build.tags = {"app"};
  build.target = "runtime";
  build.labels = {{"team", "berth"}};
  build.no_cache = true;
  build.pull = true;
  build.force_remove_intermediate = true;
  build.network_mode = "none";
  build.shm_size = 67108864;
  build.cache_from = {"app:cache"};
  build.platform = "linux/amd64";
  build.ulimits = {{"nofile", 1000, 2000}};
  CHECK(engine.build_image(build, [](std::string&) { return false; }, nullptr) == "sha256:abc");
  REQUIRE(fake.requests.size() == 2);
  CHECK(fake.requests[1].target ==
        "/v1.41/build?dockerfile=sub%2FDockerfile&t=app&target=runtime&labels=%7B%22team%22%3A%22berth%22%7D"
        "&nocache=1&pull=1&rm=1&forcerm=1&networkmode=none&shmsize=67108864"
        "&cachefrom=%5B%22app%3Acache%22%5D&platform=linux%2Famd64"
        "&ulimits=%5B%7B%22Hard%22%3A2000%2C%22Name%22%3A%22nofile%22%2C%22Soft%22%3A1000%7D%5D");
}
