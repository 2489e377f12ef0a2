#pragma once
// `config --variables`: every variable the project's files interpolate,
// read from the files as written (merge keys applied), with what they say
// about defaults.
#include <map>
#include <string>

#include "berth/loader/project_options.h"

namespace berth::loader {

struct ProjectVariable {
  bool required = false;      // used as ${VAR:?err} or ${VAR?err} somewhere (compose-go's Required)
  std::string default_value;  // from :- / -
  std::string alternate;      // from :+ / +
};

// By name. The files are those `options` resolves to, plus the files of the
// environment named by options.environment (--env).
std::map<std::string, ProjectVariable> project_variables(const ProjectOptions& options);

}  // namespace berth::loader
