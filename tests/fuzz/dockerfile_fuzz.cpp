// The Dockerfile checks of `berth audit` (line continuations, heredocs,
// parser directives, instructions in any case).
#include "fuzz_target.h"
#include "policy/dockerfile_rules.h"

BERTH_FUZZ_TARGET(dockerfile) {
  berth::fuzz::fuzz_guard([&] { berth::policy::check_dockerfile(std::string(input), "Dockerfile", "web"); });
}
