#!/usr/bin/env bash
# Runs berth's libFuzzer targets (tests/fuzz/<name>_fuzz.cpp), built with
# clang under AddressSanitizer + UndefinedBehaviorSanitizer in build-fuzz/.
#   scripts/fuzz.sh TARGET SECONDS    one target (e.g. loader 600)
#   scripts/fuzz.sh all SECONDS       every target, SECONDS each (as many
#                                     at once as there are cores; BERTH_FUZZ_JOBS)
#   scripts/fuzz.sh list              the targets
#   scripts/fuzz.sh unit [SPEC...]    the unit tests of the parsing modules
#                                     (and the corpus replays) under the
#                                     same sanitizers (berth_unit_sanitized)
# Seeds: tests/fuzz/corpus/<target>, the directories tests/fuzz/seeds.txt
# names and the findings kept in tests/data/fuzz/<target>; what the fuzzer
# adds goes to build-fuzz/corpus/<target>. A crash, leak or timeout stops
# the run (non-zero exit) and leaves the input in build-fuzz/findings/<target>/:
# minimize it (berth_fuzz_<target> -minimize_crash=1 FILE), fix the bug and
# keep the case in tests/data/fuzz/<target>/, where the unit tests replay it.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BERTH_FUZZ_DIR:-build-fuzz}

targets() { for f in tests/fuzz/*_fuzz.cpp; do f=${f##*/}; echo "${f%_fuzz.cpp}"; done; }

if [ "${1:-}" = list ]; then targets; exit 0; fi

configure() {
  command -v clang++ >/dev/null ||
    { echo "fuzz: clang++ is missing (scripts/setup.sh installs clang and libclang-rt-14-dev)" >&2; exit 1; }
  [ -f "$BUILD_DIR/build.ninja" ] && return 0
  local flags="-O1 -g1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
  CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz -DBERTH_FUZZ=ON -DBUILD_TESTING=OFF \
    -DBERTH_STATIC_RUNTIME=OFF -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
}

if [ "${1:-}" = unit ]; then
  shift
  configure
  cmake --build "$BUILD_DIR" --target berth_unit_sanitized -- -j"$(nproc)"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
    "$BUILD_DIR/berth_unit_sanitized" "$@"
  exit
fi
if [ $# -ne 2 ]; then
  echo "usage: scripts/fuzz.sh TARGET|all SECONDS | scripts/fuzz.sh unit [SPEC...] | scripts/fuzz.sh list" >&2
  exit 2
fi
target=$1 seconds=$2
if [ "$target" = all ]; then selected=$(targets); else selected=$target; fi
for t in $selected; do
  [ -f "tests/fuzz/${t}_fuzz.cpp" ] || { echo "fuzz: no target \"$t\" (scripts/fuzz.sh list)" >&2; exit 2; }
done
configure
executables=()
for t in $selected; do executables+=("berth_fuzz_$t"); done
cmake --build "$BUILD_DIR" --target "${executables[@]}" -- -j"$(nproc)"

dictionary() {
  case $1 in
    yaml_reader|loader|interpolation|dotenv) echo "-dict=tests/fuzz/dict/yaml.dict" ;;
    chunked_decoder|stdcopy|json_progress|tar_reader) echo "-dict=tests/fuzz/dict/http.dict" ;;
  esac
}

# One target's run; its report goes to $BUILD_DIR/findings/<target>.result
# and its exit status says whether it found something.
run_target() {
  local t=$1 corpus="$BUILD_DIR/corpus/$1" findings="$BUILD_DIR/findings/$1"
  mkdir -p "$corpus" "$findings"
  local seeds=("tests/fuzz/corpus/$t")
  [ -d "tests/data/fuzz/$t" ] && seeds+=("tests/data/fuzz/$t")
  while read -r name dirs; do
    [ "$name" = "$t" ] && for d in $dirs; do seeds+=("$d"); done
  done < <(grep -v '^#' tests/fuzz/seeds.txt)
  local log="$BUILD_DIR/findings/$t.log" result="$BUILD_DIR/findings/$t.result"
  # The loader writes its project into a temporary directory of its own; a
  # finding's input is in $findings. Leaks are findings (ASan's default).
  if ! "$BUILD_DIR/berth_fuzz_$t" "$corpus" "${seeds[@]}" $(dictionary "$t") \
       -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$findings/" -print_final_stats=1 </dev/null >"$log" 2>&1; then
    { echo "fuzz $t: FAILED (log: $log; inputs: $findings/)"
      grep -E "ERROR|runtime error|SUMMARY|Test unit written" "$log" | head -5; } >"$result"
    return 1
  fi
  local runs corpus_size
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  corpus_size=$(find "$corpus" -type f | wc -l)
  echo "fuzz $t: $runs executions in ${seconds} s, no finding (corpus $corpus_size new inputs)" >"$result"
}

# Targets run side by side, one per core (BERTH_FUZZ_JOBS): each is
# single-threaded, so a 2-core machine fuzzes twice the time per minute.
jobs=${BERTH_FUZZ_JOBS:-$(nproc)}
running=0
for t in $selected; do
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
  rm -f "$BUILD_DIR/findings/$t.result"
  run_target "$t" &
  running=$((running + 1))
done
wait || true
status=0
for t in $selected; do
  result="$BUILD_DIR/findings/$t.result"
  if [ ! -f "$result" ]; then echo "fuzz $t: no report (killed?)" >&2; status=1; continue; fi
  if grep -q "^fuzz $t: FAILED" "$result"; then cat "$result" >&2; status=1; else cat "$result"; fi
done
rm -rf /tmp/berth-fuzz-loader-* 2>/dev/null || true
exit $status
