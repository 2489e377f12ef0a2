#!/usr/bin/env bash
# The one command that runs every test: prepares the machine, builds, then
# runs the unit tests and the end-to-end tests against the real engine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BUILD_DIR=${BERTH_BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)" "$@"
# The whole run (no ctest arguments) also runs the parsing modules' unit
# tests under ASan+UBSan and every fuzz target for a few seconds, in their
# own clang build (scripts/fuzz.sh; longer runs: scripts/fuzz.sh TARGET SECONDS).
# It also runs the Podman lane: the e2e tests tagged [podman] against
# Podman's Docker-compatible API (scripts/podman_lane.sh).
if [ $# -eq 0 ]; then
  scripts/podman_lane.sh
  scripts/fuzz.sh unit
  scripts/fuzz.sh all "${BERTH_CI_FUZZ_SECONDS:-5}"
fi
