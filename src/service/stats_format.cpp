#include "stats_format.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "berth/ui/container_format.h"

namespace berth::service {
namespace {

double number_at(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* node = &j;
  for (const char* key : path) {
    if (!node->is_object()) return 0;
    auto it = node->find(key);
    if (it == node->end()) return 0;
    node = &*it;
  }
  return node->is_number() ? node->get<double>() : 0;
}

std::string percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%", value);
  return text;
}

std::string decimal_pair(double a, double b) {
  return ui::human_size(static_cast<std::int64_t>(a)) + " / " + ui::human_size(static_cast<std::int64_t>(b));
}

}  // namespace

std::string binary_size(double bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  size_t unit = 0;
  while (bytes >= 1024.0 && unit + 1 < sizeof units / sizeof units[0]) {
    bytes /= 1024.0;
    ++unit;
  }
  char text[48];
  std::snprintf(text, sizeof text, "%.4g%s", bytes, units[unit]);
  return text;
}

StatsRow stats_row(const nlohmann::json& s) {
  StatsRow row;
  row.id = s.value("id", s.value("Id", ""));  // Podman spells it "Id"
  row.name = s.value("name", "");
  if (row.name.starts_with("/")) row.name.erase(0, 1);

  const double cpu_delta = number_at(s, {"cpu_stats", "cpu_usage", "total_usage"}) -
                           number_at(s, {"precpu_stats", "cpu_usage", "total_usage"});
  const double system_delta =
      number_at(s, {"cpu_stats", "system_cpu_usage"}) - number_at(s, {"precpu_stats", "system_cpu_usage"});
  double cpus = number_at(s, {"cpu_stats", "online_cpus"});
  if (cpus == 0) {
    auto per_cpu = s.value("cpu_stats", nlohmann::json::object())
                       .value("cpu_usage", nlohmann::json::object())
                       .value("percpu_usage", nlohmann::json::array());
    cpus = static_cast<double>(per_cpu.size());
  }
  row.cpu = percent(system_delta > 0 && cpu_delta > 0 ? cpu_delta / system_delta * cpus * 100.0 : 0.0);

  const double usage = number_at(s, {"memory_stats", "usage"});
  const double limit = number_at(s, {"memory_stats", "limit"});
  double used = usage;
  const auto memory = s.value("memory_stats", nlohmann::json::object()).value("stats", nlohmann::json::object());
  if (memory.contains("total_inactive_file")) {
    const double cache = number_at(memory, {"total_inactive_file"});
    if (cache < usage) used = usage - cache;
  } else {
    const double cache = number_at(memory, {"inactive_file"});
    if (cache < usage) used = usage - cache;
  }
  row.mem_usage = binary_size(used) + " / " + binary_size(limit);
  row.mem = percent(limit != 0 ? used / limit * 100.0 : 0.0);

  double rx = 0, tx = 0;
  if (auto networks = s.find("networks"); networks != s.end() && networks->is_object())
    for (const auto& [_, n] : networks->items()) {
      rx += number_at(n, {"rx_bytes"});
      tx += number_at(n, {"tx_bytes"});
    }
  row.net_io = decimal_pair(rx, tx);

  double read = 0, written = 0;
  auto blkio = s.value("blkio_stats", nlohmann::json::object()).value("io_service_bytes_recursive", nlohmann::json());
  if (blkio.is_array())
    for (const auto& entry : blkio) {
      std::string op = entry.value("op", "");
      std::transform(op.begin(), op.end(), op.begin(), [](unsigned char c) { return std::tolower(c); });
      if (op == "read") read += number_at(entry, {"value"});
      else if (op == "write") written += number_at(entry, {"value"});
    }
  row.block_io = decimal_pair(read, written);

  row.pids = std::to_string(static_cast<long long>(number_at(s, {"pids_stats", "current"})));
  return row;
}

}  // namespace berth::service
