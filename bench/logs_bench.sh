#!/usr/bin/env bash
# Times `berth logs` of a service that printed N lines, beside reading the
# same log stream raw from the engine socket (curl) and docker-compose when it
# is installed. Prints the median wall time of each in milliseconds.
#
#   bench/logs_bench.sh [-n RUNS] [-l LINES] [-b path/to/berth]
#
# Not run by the tests: it needs a quiet machine to mean anything.
set -euo pipefail

RUNS=5
LINES=500000
BERTH="${BERTH:-$(dirname "$0")/../build/berth}"
while getopts "n:l:b:h" opt; do
  case "$opt" in
    n) RUNS="$OPTARG" ;;
    l) LINES="$OPTARG" ;;
    b) BERTH="$OPTARG" ;;
    *) sed -n '2,8p' "$0"; exit 2 ;;
  esac
done
BERTH="$(realpath "$BERTH" 2>/dev/null || echo "$BERTH")"
[ -x "$BERTH" ] || { echo "logs_bench: no berth binary at $BERTH (build first, or pass -b)" >&2; exit 1; }

SOCK="${DOCKER_HOST:-unix:///var/run/docker.sock}"
SOCK="${SOCK#unix://}"
PROJECT="berth-logs-bench-$$"
WORK="$(mktemp -d /tmp/berth-logs-bench.XXXXXX)"
trap '"$BERTH" -p "$PROJECT" --progress quiet down -v -t 0 >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

cat >"$WORK/compose.yaml" <<EOF
services:
  talker:
    image: berth-local/busybox:latest
    command: ["sh", "-c", "seq 1 $LINES | sed 's/^/log line number /'"]
EOF
cd "$WORK"
"$BERTH" -p "$PROJECT" --progress quiet up -d
"$BERTH" -p "$PROJECT" wait talker >/dev/null
ID="$(curl -sf --unix-socket "$SOCK" "http://localhost/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22com.docker.compose.project%3D$PROJECT%22%5D%7D" |
  sed -n 's/^\[{"Id":"\([0-9a-f]*\)".*/\1/p')"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print int((v[NR/2]+v[NR/2+1])/2)}'; }
time_runs() {  # command...
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(now_ms)
    "$@" >/dev/null 2>&1
    end=$(now_ms)
    echo $((end - start))
  done | median
}

raw() { curl -sf --unix-socket "$SOCK" "http://localhost/v1.41/containers/$ID/logs?stdout=1&stderr=1" -o /dev/null; }
berth_logs() { "$BERTH" -p "$PROJECT" logs --no-color talker; }
compose_logs() { docker-compose -p "$PROJECT" logs --no-color talker; }

echo "lines: $LINES, runs: $RUNS (median ms)"
echo "raw socket read (curl): $(time_runs raw)"
echo "berth logs:             $(time_runs berth_logs)"
if command -v docker-compose >/dev/null; then
  echo "docker-compose logs:    $(time_runs compose_logs)"
fi
