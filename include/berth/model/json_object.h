#pragma once
// Small JSON objects built member by member. nlohmann's initializer-list
// constructor checks and copies every element through its json_ref wrapper
// (thousands of instructions for a three-member object), and the loader
// builds one for each port, volume and dependency of a project.
#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <string_view>
#include <utility>

namespace berth::model {

// {{"mode", "ingress"}, {"target", 80}} -> {"mode": "ingress", "target": 80};
// values are scalars or already-built JSON (no nested braces).
nlohmann::json json_object(std::initializer_list<std::pair<std::string_view, nlohmann::json>> members);

}  // namespace berth::model
