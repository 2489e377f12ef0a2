#!/usr/bin/env bash
# Configures (once) and builds into build/: everything (berth and its
# tests), or only the targets named (scripts/demo.sh builds berth and the
# build-session helper alone, so the demo does not wait for the tests).
#   scripts/build.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BERTH_BUILD_DIR:-build}
# ccache (when installed) hashes paths relative to the checkout, so another
# clone of the same commit reuses the objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
# The targets use precompiled headers; ccache caches such compiles only when
# told that the PCH's timestamps and defines may be ignored.
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BERTH_BUILD_TYPE:-Release}" >/dev/null
fi
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "$BUILD_DIR" "${targets[@]}" -- -j"$(nproc)"
