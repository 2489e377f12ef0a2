#include "berth/model/units.h"

#include "berth/util/whole_int64.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace berth::model {
namespace {

bool parse_decimal(const std::string& text, size_t& pos, double& value) {
  size_t start = pos;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  }
  if (pos == start || (pos == start + 1 && text[start] == '.')) return false;
  value = std::strtod(text.substr(start, pos - start).c_str(), nullptr);
  return true;
}

}  // namespace

std::optional<int64_t> parse_bytes(const std::string& text) {
  size_t pos = 0;
  double number = 0;
  if (!parse_decimal(text, pos, number)) return std::nullopt;
  if (pos < text.size() && text[pos] == ' ') ++pos;
  double multiplier = 1;
  if (pos < text.size()) {
    switch (std::tolower(static_cast<unsigned char>(text[pos]))) {
      case 'k': multiplier = 1024.0; ++pos; break;
      case 'm': multiplier = 1024.0 * 1024; ++pos; break;
      case 'g': multiplier = 1024.0 * 1024 * 1024; ++pos; break;
      case 't': multiplier = 1024.0 * 1024 * 1024 * 1024; ++pos; break;
      case 'p': multiplier = 1024.0 * 1024 * 1024 * 1024 * 1024; ++pos; break;
      default: break;
    }
    if (multiplier > 1 && pos < text.size() && std::tolower(static_cast<unsigned char>(text[pos])) == 'i')
      ++pos;
    if (pos < text.size() && std::tolower(static_cast<unsigned char>(text[pos])) == 'b') ++pos;
  }
  if (pos != text.size()) return std::nullopt;
  return whole_int64(number * multiplier);
}

std::optional<int64_t> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t pos = 0;
  bool negative = false;
  if (text[pos] == '-' || text[pos] == '+') negative = text[pos++] == '-';
  if (text.substr(pos) == "0") return 0;
  if (pos == text.size()) return std::nullopt;
  long double total = 0;
  while (pos < text.size()) {
    double number = 0;
    if (!parse_decimal(text, pos, number)) return std::nullopt;
    size_t unit_start = pos;
    while (pos < text.size() && !std::isdigit(static_cast<unsigned char>(text[pos])) && text[pos] != '.')
      ++pos;
    std::string unit = text.substr(unit_start, pos - unit_start);
    long double scale;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else return std::nullopt;
    total += number * scale;
  }
  if (total >= static_cast<long double>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  auto ns = static_cast<int64_t>(std::llroundl(total));
  return negative ? -ns : ns;
}

namespace {

// Integer part then the fraction without trailing zeros, as Go's fmtFrac/fmtInt.
std::string fixed_point(uint64_t value, int decimals) {
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  std::string out = std::to_string(value / scale);
  uint64_t fraction = value % scale;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, static_cast<size_t>(decimals) - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

}  // namespace

std::string format_duration(int64_t nanoseconds) {
  if (nanoseconds == 0) return "0s";
  bool negative = nanoseconds < 0;
  uint64_t u = negative ? static_cast<uint64_t>(-(nanoseconds + 1)) + 1 : static_cast<uint64_t>(nanoseconds);
  std::string out;
  if (u < 1'000'000'000ULL) {
    if (u < 1'000) out = std::to_string(u) + "ns";
    else if (u < 1'000'000) out = fixed_point(u, 3) + "\xC2\xB5s";
    else out = fixed_point(u, 6) + "ms";
  } else {
    uint64_t seconds_ns = u % 60'000'000'000ULL;
    uint64_t minutes = u / 60'000'000'000ULL;
    out = fixed_point(seconds_ns, 9) + "s";
    if (minutes > 0) {
      uint64_t hours = minutes / 60;
      out = std::to_string(minutes % 60) + "m" + out;
      if (hours > 0) out = std::to_string(hours) + "h" + out;
    }
  }
  return negative ? "-" + out : out;
}

}  // namespace berth::model
