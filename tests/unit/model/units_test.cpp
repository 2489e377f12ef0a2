#include <catch2/catch.hpp>

#include "berth/model/units.h"

using namespace berth::model;

TEST_CASE("byte sizes", "[units]") {
  struct Case {
    const char* text;
    std::optional<int64_t> bytes;
  };
  const Case cases[] = {
      {"1024", 1024},       {"1k", 1024},           {"1K", 1024},       {"1kb", 1024},
      {"1KiB", 1024},       {"512m", 536870912},    {"1g", 1073741824}, {"1.5g", 1610612736},
      {"2 GB", 2147483648}, {"1t", 1099511627776},  {"0", 0},           {"10b", 10},
      {"", std::nullopt},   {"abc", std::nullopt},  {"1q", std::nullopt}, {"-1", std::nullopt},
      {"1gg", std::nullopt}, {".", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(parse_bytes(c.text) == c.bytes);
  }
}

TEST_CASE("durations parse like Go and print like Go", "[units]") {
  struct Case {
    const char* text;
    std::optional<int64_t> ns;
    const char* printed;
  };
  const int64_t s = 1'000'000'000;
  const Case cases[] = {
      {"90s", 90 * s, "1m30s"},       {"1m30s", 90 * s, "1m30s"},  {"1h", 3600 * s, "1h0m0s"},
      {"10s", 10 * s, "10s"},          {"1.5s", 1500000000, "1.5s"}, {"100ms", 100000000, "100ms"},
      {"2us", 2000, "2\xC2\xB5s"},     {"7ns", 7, "7ns"},           {"0", 0, "0s"},
      {"1h2m3.5s", 3723500000000, "1h2m3.5s"}, {"-5s", -5 * s, "-5s"}, {"1.5m", 90 * s, "1m30s"},
      {"", std::nullopt, ""},          {"10", std::nullopt, ""},    {"5 s", std::nullopt, ""},
      {"1d", std::nullopt, ""},        {"s", std::nullopt, ""},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto parsed = parse_duration(c.text);
    CHECK(parsed == c.ns);
    if (parsed) CHECK(format_duration(*parsed) == c.printed);
  }
}
