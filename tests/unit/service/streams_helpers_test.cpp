// The pure parts of attached up and stats: which services are attached, and
// the docker CLI's stats formulas.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/project.h"
#include "service/attached_up.h"
#include "service/stats_format.h"

using berth::service::attached_services;
using Names = std::vector<std::string>;

TEST_CASE("attached up follows the services compose would attach", "[cli][attached_up]") {
  const nlohmann::json dependency = {{"condition", "service_started"}, {"required", true}};
  auto project = berth::model::Project::from_json(
      {{"name", "p"},
       {"services",
        {{"web", {{"image", "img"}, {"depends_on", {{"db", dependency}}}}},
         {"db", {{"image", "img"}, {"depends_on", {{"cache", dependency}}}}},
         {"cache", {{"image", "img"}}},
         {"tool", {{"image", "img"}}}}}},
      nlohmann::json::array());
  struct Case {
    Names named, attach, no_attach;
    bool dependencies;
    Names expected;
  };
  const Case cases[] = {
      {{}, {}, {}, false, {"cache", "db", "tool", "web"}},
      {{"web"}, {}, {}, false, {"web"}},
      {{"web"}, {}, {}, true, {"cache", "db", "web"}},
      {{"web"}, {"db"}, {}, true, {"db"}},
      {{}, {}, {"tool", "db"}, false, {"cache", "web"}},
      {{"web"}, {}, {"db"}, true, {"cache", "web"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.named, c.attach, c.no_attach, c.dependencies);
    CHECK(attached_services(project, c.named, c.attach, c.no_attach, c.dependencies) == c.expected);
  }
}

TEST_CASE("stats rows use the docker CLI's formulas and units", "[cli][stats]") {
  auto sample = nlohmann::json::parse(R"({
    "id": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "name": "/shop-web-1",
    "cpu_stats": {"cpu_usage": {"total_usage": 300000000}, "system_cpu_usage": 20000000000, "online_cpus": 2},
    "precpu_stats": {"cpu_usage": {"total_usage": 100000000}, "system_cpu_usage": 18000000000},
    "memory_stats": {"usage": 10485760, "limit": 2147483648, "stats": {"inactive_file": 2097152}},
    "networks": {"eth0": {"rx_bytes": 1500, "tx_bytes": 648}, "eth1": {"rx_bytes": 500, "tx_bytes": 0}},
    "blkio_stats": {"io_service_bytes_recursive": [
      {"major": 8, "minor": 0, "op": "read", "value": 4096},
      {"major": 8, "minor": 0, "op": "Write", "value": 1234567},
      {"major": 8, "minor": 0, "op": "sync", "value": 99}]},
    "pids_stats": {"current": 3}
  })");
  auto row = berth::service::stats_row(sample);
  CHECK(row.name == "shop-web-1");
  CHECK(row.cpu == "20.00%");  // 0.2e9 / 2e9 * 2 CPUs
  CHECK(row.mem_usage == "8MiB / 2GiB");
  CHECK(row.mem == "0.39%");
  CHECK(row.net_io == "2kB / 648B");
  CHECK(row.block_io == "4.1kB / 1.23MB");
  CHECK(row.pids == "3");

  SECTION("cgroup v1 cache, per-CPU count, a stopped container") {
    sample["cpu_stats"].erase("online_cpus");
    sample["cpu_stats"]["cpu_usage"]["percpu_usage"] = {1, 2, 3, 4};
    sample["memory_stats"]["stats"] = {{"total_inactive_file", 5242880}, {"inactive_file", 1}};
    row = berth::service::stats_row(sample);
    CHECK(row.cpu == "40.00%");
    CHECK(row.mem_usage == "5MiB / 2GiB");
    auto stopped = berth::service::stats_row(nlohmann::json{{"id", "x"}, {"name", "/a"}});
    CHECK(stopped.cpu == "0.00%");
    CHECK(stopped.mem_usage == "0B / 0B");
    CHECK(stopped.mem == "0.00%");
    CHECK(stopped.net_io == "0B / 0B");
    CHECK(stopped.pids == "0");
    CHECK(stopped.id == "x");
    CHECK(berth::service::stats_row(nlohmann::json{{"Id", "y"}, {"name", "a"}}).id == "y");  // Podman's spelling
  }
  CHECK(berth::service::binary_size(1536) == "1.5KiB");
  CHECK(berth::service::binary_size(1023) == "1023B");
}
