#!/usr/bin/env bash
# The one command that runs every test: prepares the machine, builds, then
# runs the unit tests and the end-to-end tests against the real engine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BUILD_DIR=${BERTH_BUILD_DIR:-build}
exec ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)" "$@"
