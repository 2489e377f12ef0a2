#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "exec/anonymous_volumes.h"

using nlohmann::json;

namespace {
const std::string kAnon1(64, 'a');
const std::string kAnon2(64, 'b');
}  // namespace

TEST_CASE("carry_anonymous_volumes", "[exec]") {
  struct Case {
    const char* name;
    json body;
    json old_mounts;
    json expected_mounts;  // null: no Mounts key
  };
  std::vector<Case> cases = {
      {"anonymous volume of the model gets the old volume",
       {{"HostConfig", {{"Mounts", {{{"Type", "volume"}, {"Target", "/data"}, {"ReadOnly", false}}}}}}},
       {{{"Type", "volume"}, {"Name", kAnon1}, {"Destination", "/data"}, {"RW", true}}},
       {{{"Type", "volume"}, {"Target", "/data"}, {"ReadOnly", false}, {"Source", kAnon1}}}},
      {"image volume not in the model is added",
       {{"HostConfig", json::object()}},
       {{{"Type", "volume"}, {"Name", kAnon2}, {"Destination", "/var/lib"}, {"RW", true}}},
       {{{"Type", "volume"}, {"Source", kAnon2}, {"Target", "/var/lib"}, {"ReadOnly", false}}}},
      {"named volumes and binds are not carried",
       {{"HostConfig", json::object()}},
       {{{"Type", "volume"}, {"Name", "demo_data"}, {"Destination", "/d"}, {"RW", true}},
        {{"Type", "bind"}, {"Source", "/tmp"}, {"Destination", "/t"}, {"RW", true}}},
       nullptr},
      {"a target now taken by a bind or tmpfs is left alone",
       {{"HostConfig", {{"Binds", {"/src:/data:ro"}}, {"Tmpfs", {{"/run", ""}}}}}},
       {{{"Type", "volume"}, {"Name", kAnon1}, {"Destination", "/data"}, {"RW", true}},
        {{"Type", "volume"}, {"Name", kAnon2}, {"Destination", "/run"}, {"RW", true}}},
       nullptr},
      {"a named volume now at the target wins",
       {{"HostConfig", {{"Mounts", {{{"Type", "volume"}, {"Source", "demo_data"}, {"Target", "/data"}}}}}}},
       {{{"Type", "volume"}, {"Name", kAnon1}, {"Destination", "/data"}, {"RW", true}}},
       {{{"Type", "volume"}, {"Source", "demo_data"}, {"Target", "/data"}}}},
  };
  for (auto& c : cases) {
    INFO(c.name);
    json body = c.body;
    berth::exec::carry_anonymous_volumes(body, {{"Mounts", c.old_mounts}});
    if (c.expected_mounts.is_null()) CHECK_FALSE(body["HostConfig"].contains("Mounts"));
    else CHECK(body["HostConfig"]["Mounts"] == c.expected_mounts);
  }
}
