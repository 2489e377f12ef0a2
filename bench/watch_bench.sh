#!/usr/bin/env bash
# Times `berth watch` from a file save to the end of its sync into the
# running container (the "Synced" line, printed once the engine has
# extracted the archive), for one-file saves; then saves twenty files at
# once and counts the sync actions they caused (1 is the goal).
#
#   bench/watch_bench.sh [-n SAVES] [-b path/to/berth]
#
# docker compose waits a fixed 500 ms quiet period before it syncs; berth's
# is 50 ms. Not run by the tests: it needs a quiet machine to mean anything.
set -euo pipefail

SAVES=15
BERTH="${BERTH:-$(dirname "$0")/../build/berth}"
while getopts "n:b:h" opt; do
  case "$opt" in
    n) SAVES="$OPTARG" ;;
    b) BERTH="$OPTARG" ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
  esac
done
BERTH="$(realpath "$BERTH" 2>/dev/null || echo "$BERTH")"
[ -x "$BERTH" ] || { echo "watch_bench: no berth binary at $BERTH (build first, or pass -b)" >&2; exit 1; }

PROJECT="berth-watch-bench-$$"
WORK="$(mktemp -d /tmp/berth-watch-bench.XXXXXX)"
WATCH_PID=""
cleanup() {
  if [ -n "$WATCH_PID" ]; then kill -INT "$WATCH_PID" 2>/dev/null || true; wait "$WATCH_PID" 2>/dev/null || true; fi
  "$BERTH" -p "$PROJECT" --progress quiet down -v -t 0 >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/src"
cat >"$WORK/compose.yaml" <<EOF
services:
  app:
    image: berth-local/busybox:latest
    command: ["sleep", "3600"]
    init: true
    develop:
      watch:
        - action: sync
          path: ./src
          target: /src
EOF
cd "$WORK"
"$BERTH" -p "$PROJECT" --progress plain watch 2>"$WORK/watch.log" &
WATCH_PID=$!
for _ in $(seq 1 300); do grep -q "Watch enabled" "$WORK/watch.log" && break; sleep 0.1; done
grep -q "Watch enabled" "$WORK/watch.log" || { cat "$WORK/watch.log" >&2; exit 1; }

now_ms() { date +%s%3N; }
synced() { grep -c "Synced" "$WORK/watch.log" || true; }

times=()
for i in $(seq 1 "$SAVES"); do
  before=$(synced)
  start=$(now_ms)
  echo "save $i" >"$WORK/src/file.py"
  while [ "$(synced)" -le "$before" ]; do sleep 0.002; done
  times+=($(( $(now_ms) - start )))
  sleep 0.7
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( ${#sorted[@]} / 2 ))]}
max=${sorted[$(( ${#sorted[@]} - 1 ))]}
echo "one-file save to synced: median ${median} ms, max ${max} ms over $SAVES saves (docker compose: 500 ms quiet period alone)"

before=$(synced)
for i in $(seq 1 20); do echo "batch $i" >"$WORK/src/batch_$i.py"; done
sleep 2
echo "twenty files saved at once: $(( $(synced) - before )) sync action(s)"
