#pragma once
// The PORTS column of `ps`. Internal to service.
#include <string>
#include <vector>

#include "berth/engine/types.h"

namespace berth::service {

// Published ports first as ip:public->private/proto, then exposed-only ports
// as private/proto; sorted, without duplicates, joined by ", ".
std::string format_ports(const std::vector<engine::PortSummary>& ports);

}  // namespace berth::service
