#pragma once
// Profiles: a service with `profiles:` is enabled when one of its profiles is
// active ("*" activates all) or it is named explicitly; services without
// profiles are always enabled. An enabled service requiring (depends_on,
// required: true) a disabled one enables it only when that service was named
// explicitly, otherwise it is an error.
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "canonical.h"

namespace berth::loader {

struct ProfileSelection {
  std::vector<std::string> active;              // --profile, else COMPOSE_PROFILES (comma separated)
  std::vector<std::string> explicit_services;   // named on the command line
};

// Active profiles from the flags, falling back to COMPOSE_PROFILES in `environment`.
std::vector<std::string> active_profiles(const std::vector<std::string>& flags,
                                         const std::map<std::string, std::string>& environment);

// Removes disabled services from project["services"] and returns them (an
// object keyed by service name). Throws Error(Config) when an enabled service
// requires a disabled one.
nlohmann::json apply_profiles(nlohmann::json& project, const ProfileSelection& selection,
                              const MarkLookup& mark);

}  // namespace berth::loader
