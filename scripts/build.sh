#!/usr/bin/env bash
# Configures (once) and builds berth and its tests into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BERTH_BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BERTH_BUILD_TYPE:-Release}" >/dev/null
fi
cmake --build "$BUILD_DIR" -- -j"$(nproc)"
