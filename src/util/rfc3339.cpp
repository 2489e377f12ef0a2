#include "berth/util/rfc3339.h"

#include <algorithm>
#include <ctime>
#include <limits>
#include <regex>

namespace berth {

std::optional<std::int64_t> parse_rfc3339(const std::string& value) {
  static const std::regex pattern(
      R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$)");
  std::smatch m;
  if (!std::regex_match(value, m, pattern)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  if (m[4].matched) tm.tm_hour = std::stoi(m[4]);
  if (m[5].matched) tm.tm_min = std::stoi(m[5]);
  if (m[6].matched) tm.tm_sec = std::stoi(m[6]);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return std::nullopt;
  std::int64_t seconds;
  if (m[8].matched) {
    seconds = static_cast<std::int64_t>(timegm(&tm));
    std::string zone = m[8];
    if (zone != "Z") {
      int sign = zone[0] == '-' ? -1 : 1;
      zone.erase(std::remove(zone.begin(), zone.end(), ':'), zone.end());
      int offset = std::stoi(zone.substr(1, 2)) * 3600 + std::stoi(zone.substr(3, 2)) * 60;
      seconds -= sign * offset;
    }
  } else {
    tm.tm_isdst = -1;
    seconds = static_cast<std::int64_t>(std::mktime(&tm));
  }
  // Nanoseconds since 1970 fit in 64 bits from 1678 to 2262; Go's zero time
  // (year 1, "never") and other far dates saturate.
  constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / 1000000000 - 1;
  if (seconds < -kLimit) return std::numeric_limits<std::int64_t>::min();
  if (seconds > kLimit) return std::numeric_limits<std::int64_t>::max();
  std::string fraction = m[7].matched ? std::string(m[7]) : std::string();
  fraction.resize(9, '0');
  return seconds * 1000000000 + std::stoll(fraction);
}

}  // namespace berth
