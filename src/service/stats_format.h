#pragma once
// How `berth stats` words one sample of the engine's container statistics,
// with the docker CLI's formulas: CPU % from the deltas against precpu_stats
// times the online CPUs; memory usage without the inactive page cache
// (cgroup v1 total_inactive_file, v2 inactive_file); network and block I/O
// summed over interfaces and devices.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace berth::service {

struct StatsRow {
  std::string id;         // full container id
  std::string name;       // without the leading "/"
  std::string cpu;        // "0.25%"
  std::string mem_usage;  // "1.5MiB / 1.944GiB"
  std::string mem;        // "0.08%"
  std::string net_io;     // "1.2kB / 648B"
  std::string block_io;   // "0B / 0B"
  std::string pids;       // "1"
};

StatsRow stats_row(const nlohmann::json& sample);

// docker's units.BytesSize: binary units with 4 significant digits ("1.5MiB").
std::string binary_size(double bytes);

}  // namespace berth::service
