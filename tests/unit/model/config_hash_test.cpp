#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/config_hash.h"
#include "berth/util/sha256.h"

using berth::model::config_hash;
using nlohmann::json;

TEST_CASE("sha256 of known input", "[hash]") {
  CHECK(berth::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(berth::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("config hash is stable and ignores non-container attributes", "[hash]") {
  const json base = json::parse(R"({"image":"nginx","environment":{"A":"1"},"ports":[{"target":80}]})");
  const std::string h = config_hash(base);
  CHECK(h.size() == 64);
  CHECK(config_hash(base) == h);
  CHECK(config_hash(json::parse(R"({"ports":[{"target":80}],"environment":{"A":"1"},"image":"nginx"})")) == h);

  struct Case {
    const char* name;
    const char* patch;  // merged into base
    bool same;
  };
  const Case cases[] = {
      {"build ignored", R"({"build":{"context":"/x"}})", true},
      {"pull_policy ignored", R"({"pull_policy":"always"})", true},
      {"scale ignored", R"({"scale":3})", true},
      {"replicas ignored", R"({"deploy":{"replicas":3}})", true},
      {"depends_on ignored", R"({"depends_on":{"db":{"condition":"service_started"}}})", true},
      {"profiles ignored", R"({"profiles":["dev"]})", true},
      {"image changes it", R"({"image":"nginx:2"})", false},
      {"environment changes it", R"({"environment":{"A":"2"}})", false},
      {"other deploy attributes change it", R"({"deploy":{"replicas":3,"resources":{"limits":{"cpus":1}}}})", false},
      {"command changes it", R"({"command":["x"]})", false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    json patched = base;
    patched.merge_patch(json::parse(c.patch));
    CHECK((config_hash(patched) == h) == c.same);
  }
}
