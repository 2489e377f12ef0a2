#pragma once
// Shell completion: the candidates `berth __complete WORDS...` prints for the
// shell scripts in completions/. Commands and flags are read from the CLI11
// app itself, so a newly registered command or flag completes without
// touching this code; values that depend on the project (service, profile and
// environment names) come from a callback, called at most once and only when
// such a value is wanted.
#include <functional>
#include <string>
#include <vector>

#include "berth/service/project_names.h"

namespace CLI {
class App;
}

namespace berth::cli {

struct CompletionCandidate {
  std::string value;
  std::string description;  // "" when there is none
};

// What the shell should complete on its own, beside the candidates.
enum class CompletionFallback { None, Files, Directories };

struct CompletionResult {
  std::vector<CompletionCandidate> candidates;
  CompletionFallback fallback = CompletionFallback::None;
};

using service::ProjectNames;

// Loads the names from the project the typed global flags choose (-f, -p,
// --project-directory, --env-file, --profile, --env).
using ProjectNamesLoader = std::function<ProjectNames(const loader::ProjectOptions&)>;

// `words` are the words after the program name, the last one being the
// (possibly empty) word under the cursor. Candidates start with that word.
CompletionResult complete_command_line(const CLI::App& root, const std::vector<std::string>& words,
                                       const ProjectNamesLoader& load_names);

// The protocol between `berth __complete` and the shell scripts: one
// candidate a line, "value<TAB>description" when it has a description, then
// ":files" or ":dirs" on a line of its own when the shell should also
// complete paths.
std::string format_completion(const CompletionResult& result);

}  // namespace berth::cli
