#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/byte_sizes.h"

using nlohmann::json;

TEST_CASE("byte sizes print as decimal strings, as docker compose prints them", "[model][bytes]") {
  struct Case {
    const char* name;
    json service;
    json expected;
  };
  const std::vector<Case> cases = {
      {"service limits",
       {{"mem_limit", 134217728}, {"mem_reservation", 1024}, {"memswap_limit", -1}, {"mem_swappiness", 60},
        {"shm_size", 67108864}},
       {{"mem_limit", "134217728"}, {"mem_reservation", "1024"}, {"memswap_limit", "-1"}, {"mem_swappiness", "60"},
        {"shm_size", "67108864"}}},
      {"build shm_size", {{"build", {{"context", "/p"}, {"shm_size", 2048}}}},
       {{"build", {{"context", "/p"}, {"shm_size", "2048"}}}}},
      {"deploy memory, already a string, stays",
       {{"deploy", {{"resources", {{"limits", {{"memory", "52428800"}, {"cpus", 0.5}}}, {"reservations", {{"memory", 1024}}}}}}}},
       {{"deploy", {{"resources", {{"limits", {{"memory", "52428800"}, {"cpus", 0.5}}}, {"reservations", {{"memory", "1024"}}}}}}}}},
      {"tmpfs size of a volume",
       {{"volumes", {{{"type", "tmpfs"}, {"target", "/t"}, {"tmpfs", {{"size", 1048576}, {"mode", 1777}}}}}}},
       {{"volumes", {{{"type", "tmpfs"}, {"target", "/t"}, {"tmpfs", {{"size", "1048576"}, {"mode", 1777}}}}}}}},
      {"blkio rates, bytes and iops",
       {{"blkio_config", {{"weight", 300},
                          {"device_read_bps", {{{"path", "/dev/sda"}, {"rate", 1048576}}}},
                          {"device_write_iops", {{{"path", "/dev/sda"}, {"rate", 100}}}}}}},
       {{"blkio_config", {{"weight", 300},
                          {"device_read_bps", {{{"path", "/dev/sda"}, {"rate", "1048576"}}}},
                          {"device_write_iops", {{{"path", "/dev/sda"}, {"rate", "100"}}}}}}}},
      {"other numbers are left alone", {{"cpu_shares", 512}, {"pids_limit", 10}, {"ulimits", {{"nofile", {{"soft", 1}, {"hard", 2}}}}}},
       {{"cpu_shares", 512}, {"pids_limit", 10}, {"ulimits", {{"nofile", {{"soft", 1}, {"hard", 2}}}}}}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    json project = {{"services", {{"web", c.service}}}, {"x-shm_size", 5}};
    berth::model::byte_sizes_as_strings(project);
    CHECK(project["services"]["web"] == c.expected);
    CHECK(project["x-shm_size"] == 5);
  }
  SECTION("not a project") {
    json odd = json::array({1, 2});
    berth::model::byte_sizes_as_strings(odd);
    CHECK(odd == json::array({1, 2}));
    json no_services = {{"services", "x"}};
    berth::model::byte_sizes_as_strings(no_services);
    CHECK(no_services == json{{"services", "x"}});
  }
}
