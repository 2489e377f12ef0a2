#!/usr/bin/env bash
# Times sending a large build context of many small files: `berth build` of a
# Dockerfile that ignores its context, beside `tar -c | curl -T -` streaming
# the same directory to the same endpoint (POST /build, chunked) with the same
# build parameters. Both include the engine unpacking the context, so the
# difference is what berth's walk, .dockerignore and tar streaming cost.
# Prints the median wall time of each in milliseconds and berth's ratio.
# With -s both send to bench/context_sink.py instead of the engine (a socket
# that reads the body and throws it away), which times the client side alone.
#
#   bench/build_context_bench.sh [-n RUNS] [-m MEGABYTES] [-f FILES] [-b path/to/berth] [-s]
#
# Not run by the tests: it needs a quiet machine to mean anything.
set -euo pipefail

RUNS=5
MEGABYTES=200
FILES=20000
BERTH="${BERTH:-$(dirname "$0")/../build/berth}"
SINK=0
while getopts "n:m:f:b:sh" opt; do
  case "$opt" in
    n) RUNS="$OPTARG" ;;
    m) MEGABYTES="$OPTARG" ;;
    f) FILES="$OPTARG" ;;
    b) BERTH="$OPTARG" ;;
    s) SINK=1 ;;
    *) sed -n '2,13p' "$0"; exit 2 ;;
  esac
done
BERTH="$(realpath "$BERTH" 2>/dev/null || echo "$BERTH")"
[ -x "$BERTH" ] || { echo "build_context_bench: no berth binary at $BERTH (build first, or pass -b)" >&2; exit 1; }

SOCK="${DOCKER_HOST:-unix:///var/run/docker.sock}"
SOCK="${SOCK#unix://}"
PROJECT="berth-context-bench-$$"
WORK="$(mktemp -d /tmp/berth-context-bench.XXXXXX)"
cleanup() {
  curl -sf --unix-socket "$SOCK" -X DELETE "http://localhost/v1.41/images/$PROJECT-app?force=1" >/dev/null 2>&1 || true
  curl -sf --unix-socket "$SOCK" -X DELETE "http://localhost/v1.41/images/$PROJECT-curl?force=1" >/dev/null 2>&1 || true
  if [ -n "${SINK_PID:-}" ]; then kill "$SINK_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ "$SINK" = 1 ]; then
  SOCK="$WORK/sink.sock"
  python3 "$(dirname "$0")/context_sink.py" "$SOCK" &
  SINK_PID=$!
  for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
  export DOCKER_HOST="unix://$SOCK"
fi

# FILES files in directories of 100, MEGABYTES in total, random (incompressible) bytes.
mkdir -p "$WORK/app"
python3 - "$WORK/app" "$MEGABYTES" "$FILES" <<'EOF'
import os, sys
root, megabytes, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = megabytes * 1024 * 1024 // files
for i in range(files):
    d = os.path.join(root, "src", "d%04d" % (i // 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%06d.dat" % i), "wb") as f:
        f.write(os.urandom(size))
EOF
# The engine runs no step on the context: only receiving and unpacking it is timed.
printf 'FROM berth-local/busybox:latest\n' >"$WORK/app/Dockerfile"
cat >"$WORK/compose.yaml" <<EOF
services:
  app:
    build: ./app
EOF

now_ms() { date +%s%3N; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print int((v[NR/2]+v[NR/2+1])/2)}'; }

# The query berth sends for this service (tag, compose labels, rm, forcerm).
LABELS=$(printf '{"com.docker.compose.project":"%s","com.docker.compose.service":"app","com.docker.compose.version":"bench"}' "$PROJECT" | jq -sRr @uri)
QUERY="t=$PROJECT-curl&labels=$LABELS&rm=1&forcerm=1"
with_curl() {
  tar -c -C "$WORK/app" . | curl -sf --unix-socket "$SOCK" -X POST -T - \
    -H 'Content-Type: application/x-tar' "http://localhost/v1.41/build?$QUERY" -o /dev/null
}
# The classic builder on both sides (curl sends no version=2); BuildKit: buildkit_bench.sh.
with_berth() { DOCKER_BUILDKIT=0 "$BERTH" -f "$WORK/compose.yaml" -p "$PROJECT" --progress quiet build app; }

echo "context: $(du -sm "$WORK/app" | cut -f1) MB in $(find "$WORK/app" -type f | wc -l) files; runs: $RUNS; to: $([ "$SINK" = 1 ] && echo "a discarding sink" || echo "the engine")"
with_curl >/dev/null 2>&1; with_berth >/dev/null 2>&1  # warm the page cache and the engine
berth_times=() curl_times=()
for _ in $(seq "$RUNS"); do
  # Back to back in each round, so that load on the machine hits both alike.
  start=$(now_ms); with_berth >/dev/null; end=$(now_ms); berth_times+=($((end - start)))
  start=$(now_ms); with_curl >/dev/null; end=$(now_ms); curl_times+=($((end - start)))
done
berth_ms=$(printf '%s\n' "${berth_times[@]}" | median)
curl_ms=$(printf '%s\n' "${curl_times[@]}" | median)
echo "tar | curl (median ms): $curl_ms   runs: ${curl_times[*]}"
echo "berth build (median ms): $berth_ms   runs: ${berth_times[*]}"
awk -v b="$berth_ms" -v c="$curl_ms" 'BEGIN {printf "berth / tar|curl: %.2fx (target: within 1.2x)\n", b / c}'
