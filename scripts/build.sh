#!/usr/bin/env bash
# Configures (once) and builds berth and its tests into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BERTH_BUILD_DIR:-build}
# ccache (when installed) hashes paths relative to the checkout, so another
# clone of the same commit reuses the objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BERTH_BUILD_TYPE:-Release}" >/dev/null
fi
cmake --build "$BUILD_DIR" -- -j"$(nproc)"
