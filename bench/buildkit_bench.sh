#!/usr/bin/env bash
# Times a BuildKit build: `berth build` (POST /build?version=2 with its
# build session, the trace decoded into progress) beside a bare `tar | curl`
# POST /build?version=2 of the same context with the same query, cold
# (nocache) and fully cached, back to back in each round. The floor is the
# engine's own work; berth's overhead is the session, the progress decoding
# and its start-up. Prints the medians and berth's ratios.
#
#   bench/buildkit_bench.sh [-n RUNS] [-b path/to/berth]
#
# Not run by the tests: it needs a quiet machine to mean anything.
set -euo pipefail

RUNS=7
BERTH="${BERTH:-$(dirname "$0")/../build/berth}"
while getopts "n:b:h" opt; do
  case "$opt" in
    n) RUNS="$OPTARG" ;;
    b) BERTH="$OPTARG" ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
done
BERTH="$(realpath "$BERTH" 2>/dev/null || echo "$BERTH")"
[ -x "$BERTH" ] || { echo "buildkit_bench: no berth binary at $BERTH (build first, or pass -b)" >&2; exit 1; }

SOCK="${DOCKER_HOST:-unix:///var/run/docker.sock}"
SOCK="${SOCK#unix://}"
PROJECT="berth-buildkit-bench-$$"
WORK="$(mktemp -d /tmp/berth-buildkit-bench.XXXXXX)"
cleanup() {
  for image in "$PROJECT-app" "$PROJECT-curl"; do
    curl -sf --unix-socket "$SOCK" -X DELETE "http://localhost/v1.41/images/$image?force=1" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# A small multi-stage build with a few RUN steps and some output: what a dev
# stack's image rebuild looks like, without a registry.
mkdir -p "$WORK/app/src"
for i in $(seq 50); do printf 'line %s\n' "$i" >"$WORK/app/src/file$i.txt"; done
cat >"$WORK/app/Dockerfile" <<'EOF'
FROM berth-local/busybox:latest AS builder
WORKDIR /src
COPY src/ ./
RUN for f in *.txt; do cat "$f"; done > /all.txt && wc -l /all.txt
RUN --mount=type=cache,target=/cache sh -c 'ls /cache | wc -l; date > /cache/stamp'
FROM berth-local/busybox:latest
COPY --from=builder /all.txt /all.txt
RUN echo built
EOF
cat >"$WORK/compose.yaml" <<EOF
services:
  app:
    build:
      context: ./app
      network: none
EOF

now_ms() { date +%s%3N; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print int((v[NR/2]+v[NR/2+1])/2)}'; }

LABELS=$(printf '{"com.docker.compose.project":"%s","com.docker.compose.service":"app","com.docker.compose.version":"bench"}' "$PROJECT" | jq -sRr @uri)
with_curl() {  # $1: extra query
  tar -c -C "$WORK/app" . | curl -sf --unix-socket "$SOCK" -X POST -T - -H 'Content-Type: application/x-tar' \
    "http://localhost/v1.41/build?version=2&t=$PROJECT-curl&labels=$LABELS&networkmode=none$1" -o /dev/null
}
with_berth() {  # $@: extra flags
  "$BERTH" -f "$WORK/compose.yaml" -p "$PROJECT" --progress plain build "$@" app >/dev/null 2>&1
}

with_curl "" >/dev/null 2>&1; with_berth  # warm the page cache, the engine and BuildKit's cache
declare -A times
for _ in $(seq "$RUNS"); do
  for mode in cold cached; do
    if [ "$mode" = cold ]; then flag="--no-cache"; query="&nocache=1"; else flag=""; query=""; fi
    start=$(now_ms); with_berth $flag; end=$(now_ms); times[berth_$mode]+="$((end - start)) "
    start=$(now_ms); with_curl "$query"; end=$(now_ms); times[curl_$mode]+="$((end - start)) "
  done
done
for mode in cold cached; do
  b=$(printf '%s\n' ${times[berth_$mode]} | median)
  c=$(printf '%s\n' ${times[curl_$mode]} | median)
  echo "$mode: tar|curl $c ms (runs: ${times[curl_$mode]}), berth $b ms (runs: ${times[berth_$mode]})"
  awk -v b="$b" -v c="$c" -v m="$mode" 'BEGIN {printf "%s: berth / tar|curl %.2fx (target: within 1.05x)\n", m, b / c}'
done
