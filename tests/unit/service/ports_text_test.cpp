#include "service/ports_text.h"

#include <catch2/catch.hpp>

using berth::engine::PortSummary;
using berth::service::format_ports;

TEST_CASE("ports are listed published first, sorted, without duplicates", "[service][ps]") {
  struct Case {
    const char* name;
    std::vector<PortSummary> ports;
    std::string expected;
  };
  const Case cases[] = {
      {"none", {}, ""},
      {"published", {{"127.0.0.1", 80, 8080, "tcp"}}, "127.0.0.1:8080->80/tcp"},
      {"exposed only", {{"", 443, 0, "tcp"}, {"", 53, 0, "udp"}}, "53/udp, 443/tcp"},
      {"mixed and ipv6",
       {{"", 443, 0, "tcp"}, {"::", 80, 8080, "tcp"}, {"0.0.0.0", 80, 8080, "tcp"}, {"0.0.0.0", 80, 8080, "tcp"}},
       "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 443/tcp"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(format_ports(c.ports) == c.expected);
  }
}

