#include <charconv>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "berth/loader/short_syntax.h"
#include "berth/model/json_object.h"
#include "berth/util/error.h"

namespace berth::loader {
namespace {

struct PortRange {
  int first = 0;
  int last = 0;
  int size() const { return last - first + 1; }
};

bool parse_port_number(const std::string& text, int& out) {
  if (text.empty() || text.size() > 5) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 0 && out <= 65535;
}

PortRange parse_range(const std::string& text, const char* what) {
  PortRange range;
  auto dash = text.find('-');
  bool ok = dash == std::string::npos
                ? parse_port_number(text, range.first) && (range.last = range.first, true)
                : parse_port_number(text.substr(0, dash), range.first) &&
                      parse_port_number(text.substr(dash + 1), range.last);
  if (!ok || range.last < range.first)
    throw Error(ErrorKind::Config, std::string("invalid ") + what + " \"" + text + "\"");
  return range;
}

}  // namespace

std::vector<nlohmann::json> parse_port_spec(const std::string& spec) {
  std::string rest = spec;
  std::string protocol = "tcp";
  if (auto slash = rest.rfind('/'); slash != std::string::npos) {
    protocol = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (protocol != "tcp" && protocol != "udp" && protocol != "sctp")
      throw Error(ErrorKind::Config, "invalid protocol \"" + protocol + "\" in port \"" + spec +
                                         "\" (expected tcp, udp or sctp)");
  }
  std::string host_ip, published, target;
  if (!rest.empty() && rest.front() == '[') {
    // IPv6 host address in brackets: [::1]:8080:80 or [::1]::80
    auto close = rest.find(']');
    if (close == std::string::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
      throw Error(ErrorKind::Config, "invalid port \"" + spec + "\": malformed IPv6 address");
    host_ip = rest.substr(1, close - 1);
    std::string tail = rest.substr(close + 2);
    auto colon = tail.find(':');
    if (colon == std::string::npos)
      throw Error(ErrorKind::Config, "invalid port \"" + spec + "\": missing container port");
    published = tail.substr(0, colon);
    target = tail.substr(colon + 1);
  } else {
    auto last = rest.rfind(':');
    if (last == std::string::npos) {
      target = rest;
    } else {
      target = rest.substr(last + 1);
      std::string head = rest.substr(0, last);
      auto previous = head.rfind(':');
      if (previous == std::string::npos) {
        published = head;
      } else {
        host_ip = head.substr(0, previous);
        published = head.substr(previous + 1);
      }
    }
  }
  if (target.empty()) throw Error(ErrorKind::Config, "invalid port \"" + spec + "\": missing container port");
  if (host_ip.size() >= 2 && host_ip.front() == '[' && host_ip.back() == ']')
    host_ip = host_ip.substr(1, host_ip.size() - 2);
  PortRange container = parse_range(target, "container port");
  std::optional<PortRange> host;
  if (!published.empty()) host = parse_range(published, "host port");
  if (host && host->size() != container.size() && container.size() != 1)
    throw Error(ErrorKind::Config, "invalid port \"" + spec +
                                       "\": host and container port ranges differ in size");

  std::vector<nlohmann::json> out;
  for (int i = 0; i < container.size(); ++i) {
    nlohmann::json port =
        model::json_object({{"mode", "ingress"}, {"target", container.first + i}, {"protocol", protocol}});
    if (!host_ip.empty()) port["host_ip"] = host_ip;
    if (host) {
      if (host->size() == container.size())
        port["published"] = std::to_string(host->first + i);
      else
        port["published"] = published;  // a host range for one container port: engine picks
    }
    out.push_back(std::move(port));
  }
  return out;
}

}  // namespace berth::loader
