#!/usr/bin/env bash
# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (leak
# checks on, the first UB report fatal), in their own build directory. Not
# part of .ci/run: the instrumented build takes about 35 minutes on 2 cores.
#   scripts/sanitize.sh [catch2 test spec...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BERTH_SANITIZE_DIR:-build-sanitize}
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBERTH_STATIC_RUNTIME=OFF \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
fi
cmake --build "$BUILD_DIR" --target berth_unit -- -j"$(nproc)"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
  "$BUILD_DIR/berth_unit" "$@"
