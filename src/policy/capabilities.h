#pragma once
// The capability sets the policy gives a container.
#include <string>
#include <vector>

#include "berth/policy/image_facts.h"
#include "berth/policy/level.h"

namespace berth::policy {

// What a root process commonly needs to set up and drop privileges (chown a
// data directory, switch user, signal its workers): CHOWN, DAC_OVERRIDE,
// FOWNER, SETUID, SETGID, KILL.
const std::vector<std::string>& root_capabilities();

struct CapabilitySets {
  std::vector<std::string> drop;  // empty: leave the engine's default set
  std::vector<std::string> add;
};

// The sets for a service the user wrote no cap_drop for: compat changes
// nothing; standard drops ALL and adds back root_capabilities() when the
// effective user is root (or unknown, which the engine runs as root unless
// the image says otherwise); strict adds nothing back. The user's own cap_add
// entries are kept, after the ones added back.
CapabilitySets capability_sets(Level level, UserKind user, const std::vector<std::string>& user_cap_add);

}  // namespace berth::policy
