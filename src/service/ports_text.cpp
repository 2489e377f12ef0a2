#include "ports_text.h"

#include <algorithm>
#include <tuple>

namespace berth::service {

std::string format_ports(const std::vector<engine::PortSummary>& ports) {
  std::vector<engine::PortSummary> sorted = ports;
  auto key = [](const engine::PortSummary& p) {
    return std::make_tuple(p.public_port == 0, p.private_port, p.type, p.ip, p.public_port);
  };
  std::sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  std::vector<std::string> parts;
  for (const auto& p : sorted) {
    std::string type = p.type.empty() ? "tcp" : p.type;
    std::string text;
    if (p.public_port != 0) {
      std::string ip = p.ip.find(':') != std::string::npos ? "[" + p.ip + "]" : p.ip;
      text = ip + ":" + std::to_string(p.public_port) + "->" + std::to_string(p.private_port) + "/" + type;
    } else {
      text = std::to_string(p.private_port) + "/" + type;
    }
    if (std::find(parts.begin(), parts.end(), text) == parts.end()) parts.push_back(text);
  }
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
  return out;
}

}  // namespace berth::service
