#pragma once
// docker compose prints the file modes of secrets and configs as octal
// strings (`mode: "0440"`, also in JSON): compose-go's FileMode marshals
// itself that way. berth's model keeps them as integers (the engine wants
// numbers); `berth config` converts them only for printing, and the loader
// reads a string mode back as octal.
#include <nlohmann/json_fwd.hpp>

namespace berth::model {

// Rewrites, in place, the integer `mode` of every services.*.secrets[],
// services.*.configs[] and services.*.build.secrets[] entry as "0" followed
// by its octal digits. Other values are left alone.
void file_modes_as_octal_strings(nlohmann::json& project);

}  // namespace berth::model
