#!/usr/bin/env bash
# The one command that runs every test: prepares the machine, builds, then
# runs the unit tests and the end-to-end tests against the real engine.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage says how long it took: the whole run has a 40-minute budget.
stage() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  printf 'test.sh: %s took %d s (%d s so far)\n' "$name" $((SECONDS - start)) "$SECONDS" >&2
}
stage setup scripts/setup.sh
stage build scripts/build.sh
BUILD_DIR=${BERTH_BUILD_DIR:-build}
stage ctest ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)" "$@"
# The whole run (no ctest arguments) also runs the parsing modules' unit
# tests under ASan+UBSan and every fuzz target for 20 s (two at a time on two
# cores), in their own clang build (scripts/fuzz.sh; longer runs:
# scripts/fuzz.sh TARGET SECONDS).
# It also runs the Podman lane: the e2e tests against Podman's
# Docker-compatible API, but those tests/e2e/podman_skips.tsv leaves out
# with why (scripts/podman_lane.sh), and a short soak
# (bench/soak.sh: leftovers, fds and memory over up/down cycles and a
# minute of logs -f; the long one is 200 cycles and 30 minutes).
if [ $# -eq 0 ]; then
  stage "podman lane" scripts/podman_lane.sh
  stage soak bench/soak.sh -c "${BERTH_CI_SOAK_CYCLES:-10}" -l "${BERTH_CI_SOAK_SECONDS:-60}"
  stage "sanitized unit tests" scripts/fuzz.sh unit
  stage fuzzing scripts/fuzz.sh all "${BERTH_CI_FUZZ_SECONDS:-20}"
fi
