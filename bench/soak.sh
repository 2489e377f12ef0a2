#!/usr/bin/env bash
# The soak: CYCLES cycles of `up -d` / a change / `ps` / `logs` / `down` on
# one project while a long-lived `berth events` follows it, then a
# `logs -f` of a container printing without pause for LOG_SECONDS.
# Records per cycle the peak RSS of each short command and the open fds and
# RSS of the long-lived one, and samples the follower's RSS; fails on a
# leaked container, network or volume (asked of the engine's API with curl,
# not of berth), on fd growth, or on memory that keeps growing.
#
#   bench/soak.sh [-c CYCLES] [-l LOG_SECONDS] [-b path/to/berth]
#   defaults: 200 cycles, 1800 s of logs; the test command runs 10 cycles
#   and 60 s (BERTH_CI_SOAK_CYCLES, BERTH_CI_SOAK_SECONDS).
#
# Writes $SOAK_DIR (default build/soak)/cycles.csv and logs.csv.
set -euo pipefail

CYCLES=200
LOG_SECONDS=1800
BERTH="${BERTH:-$(dirname "$0")/../build/berth}"
while getopts "c:l:b:h" opt; do
  case "$opt" in
    c) CYCLES="$OPTARG" ;;
    l) LOG_SECONDS="$OPTARG" ;;
    b) BERTH="$OPTARG" ;;
    *) sed -n '2,13p' "$0"; exit 2 ;;
  esac
done
BERTH="$(realpath "$BERTH")"
[ -x "$BERTH" ] || { echo "soak: no berth binary at $BERTH (build first, or pass -b)" >&2; exit 1; }

SOCK="${DOCKER_HOST:-unix:///var/run/docker.sock}"
SOCK="${SOCK#unix://}"
OUT="${SOAK_DIR:-$(dirname "$0")/../build/soak}"
mkdir -p "$OUT"
OUT="$(realpath "$OUT")"
WORK="$(mktemp -d /tmp/berth-soak.XXXXXX)"
cp "$BERTH" "$WORK/berth"  # a rebuild during the soak must not pull the binary away
BERTH="$WORK/berth"
PROJECT="berth-soak-$$"
IMAGE="berth-local/busybox:latest"
follower_pids=()

cleanup() {
  for pid in "${follower_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$BERTH" -p "$PROJECT" -f "$WORK/compose.yaml" down -v -t 0 >/dev/null 2>&1 || true
  "$BERTH" -p "$PROJECT-logs" -f "$WORK/logs.yaml" down -v -t 0 >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

api_count() {  # what the engine has for a project: containers networks volumes
  local filter="%7B%22label%22%3A%5B%22com.docker.compose.project%3D$1%22%5D%7D" kind n counts=()
  for kind in "containers/json?all=1&" "networks?" "volumes?"; do
    n=$(curl -sf --unix-socket "$SOCK" "http://localhost/${kind}filters=$filter" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["Volumes"] or []) if isinstance(d, dict) else len(d))')
    counts+=("$n")
  done
  echo "${counts[*]}"
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 | wc -l; }
peak_rss() {  # peak RSS in kB of one berth command
  /usr/bin/time -f '%M' -o "$WORK/time" "$BERTH" "$@" >/dev/null 2>"$WORK/err" || {
    echo "soak: berth $* failed:" >&2; cat "$WORK/err" >&2; exit 1; }
  cat "$WORK/time"
}

write_project() {  # ROUND
  {
    echo "services:"
    for i in 1 2 3 4 5; do
      cat <<YAML
  s$i:
    image: $IMAGE
    command: ["sh", "-c", "echo cycle \$\$ROUND; exec sleep 3600"]
    environment: {ROUND: "$1"}
    stop_grace_period: 1s
    volumes: ["data:/data"]
YAML
    done
    echo "volumes:"
    echo "  data: {}"
  } > "$WORK/compose.yaml.new"
  mv "$WORK/compose.yaml.new" "$WORK/compose.yaml"  # whole: berth events may be reading it
}

# --- cycles
write_project 0
B=("$BERTH" -p "$PROJECT" -f "$WORK/compose.yaml")
"${B[@]}" events --json > /dev/null 2>"$WORK/events.err" &
events_pid=$!
follower_pids+=("$events_pid")
echo "cycle,up_kb,ps_kb,logs_kb,down_kb,events_fds,events_rss_kb" > "$OUT/cycles.csv"
for cycle in $(seq 1 "$CYCLES"); do
  write_project "$((cycle % 2))"  # every cycle changes the environment: up recreates
  up=$(peak_rss -p "$PROJECT" -f "$WORK/compose.yaml" --progress quiet up -d)
  ps=$(peak_rss -p "$PROJECT" -f "$WORK/compose.yaml" ps)
  logs=$(peak_rss -p "$PROJECT" -f "$WORK/compose.yaml" logs --tail 5)
  down=$(peak_rss -p "$PROJECT" -f "$WORK/compose.yaml" --progress quiet down -t 1)
  kill -0 "$events_pid" 2>/dev/null || { echo "soak: berth events exited:" >&2; cat "$WORK/events.err" >&2; exit 1; }
  echo "$cycle,$up,$ps,$logs,$down,$(fds "$events_pid"),$(rss_kb "$events_pid")" >> "$OUT/cycles.csv"
  if [ "$((cycle % 20))" -eq 0 ]; then echo "soak: cycle $cycle of $CYCLES" >&2; fi
done
left=$(api_count "$PROJECT")
"${B[@]}" down -v -t 0 >/dev/null 2>&1
after_v=$(api_count "$PROJECT")
kill "$events_pid"

# --- a long logs -f
cat > "$WORK/logs.yaml" <<YAML
services:
  chatty:
    image: $IMAGE
    command: ["sh", "-c", "while :; do echo 'a line of log output that keeps coming, numbered as it goes'; done"]
    stop_grace_period: 1s
    logging: {driver: json-file, options: {max-size: 20m, max-file: "2"}}  # the engine's disk, not berth's memory
YAML
L=("$BERTH" -p "$PROJECT-logs" -f "$WORK/logs.yaml")
"${L[@]}" --progress quiet up -d >/dev/null
"${L[@]}" logs -f --no-color > >(wc -c > "$WORK/log_bytes") 2>"$WORK/logs.err" &
logs_pid=$!
follower_pids+=("$logs_pid")
echo "second,rss_kb,fds" > "$OUT/logs.csv"
interval=$(( LOG_SECONDS >= 300 ? 30 : 5 ))
for ((t = 0; t <= LOG_SECONDS; t += interval)); do
  kill -0 "$logs_pid" 2>/dev/null || { echo "soak: logs -f exited:" >&2; cat "$WORK/logs.err" >&2; exit 1; }
  echo "$t,$(rss_kb "$logs_pid"),$(fds "$logs_pid")" >> "$OUT/logs.csv"
  [ "$t" -lt "$LOG_SECONDS" ] && sleep "$interval"
done
kill "$logs_pid"
wait "$logs_pid" 2>/dev/null || true
sleep 0.5
log_bytes=$(cat "$WORK/log_bytes" 2>/dev/null || echo 0)
"${L[@]}" down -v -t 0 >/dev/null 2>&1
logs_left=$(api_count "$PROJECT-logs")

# --- verdicts
python3 - "$OUT/cycles.csv" "$OUT/logs.csv" "$left" "$after_v" "$logs_left" "$log_bytes" <<'PY'
import csv, sys
cycles = list(csv.DictReader(open(sys.argv[1])))
logs = list(csv.DictReader(open(sys.argv[2])))
left, after_v, logs_left, log_bytes = sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
failures = []
def quarter_means(rows, key):
    q = max(1, len(rows) // 4)
    first = sum(int(r[key]) for r in rows[:q]) / q
    last = sum(int(r[key]) for r in rows[-q:]) / q
    return first, last
print(f"soak: {len(cycles)} cycles of up -d / ps / logs / down")
for key in ("up_kb", "ps_kb", "logs_kb", "down_kb", "events_rss_kb"):
    first, last = quarter_means(cycles, key)
    print(f"  {key:14} first quarter {first/1024:6.1f} MB, last quarter {last/1024:6.1f} MB")
    if last > first + 2048:
        failures.append(f"{key} grew from {first:.0f} to {last:.0f} kB")
fd_values = [int(r["events_fds"]) for r in cycles]
print(f"  events fds     min {min(fd_values)}, max {max(fd_values)}, last {fd_values[-1]}")
if fd_values[-1] > fd_values[0] + 2:
    failures.append(f"berth events went from {fd_values[0]} to {fd_values[-1]} fds")
print(f"  left after the last down (containers networks volumes): {left}; after down -v: {after_v}")
if left.split()[:2] != ["0", "0"]:
    failures.append(f"containers or networks left after down: {left}")
if left.split()[2] != "1":
    failures.append(f"the named volume did not survive down: {left}")
if after_v != "0 0 0":
    failures.append(f"left after down -v: {after_v}")
rss = [int(r["rss_kb"]) for r in logs]
warm = rss[1:] or rss
print(f"soak: logs -f for {logs[-1]['second']} s, {log_bytes / 1e6:.0f} MB of output: RSS {min(warm)/1024:.1f}-{max(warm)/1024:.1f} MB"
      f" (first {rss[0]/1024:.1f}, last {rss[-1]/1024:.1f}), fds {min(int(r['fds']) for r in logs[1:] or logs)}-{max(int(r['fds']) for r in logs[1:] or logs)}")
if max(warm) > min(warm) + 4096:
    failures.append(f"logs -f memory grew from {min(warm)} to {max(warm)} kB")
# The first sample is taken as berth starts: growth is the last quarter's
# most against the first quarter's after it.
log_fds = [int(r["fds"]) for r in logs[1:]] or [int(logs[0]["fds"])]
q = max(1, len(log_fds) // 4)
if max(log_fds[-q:]) > max(log_fds[:q]) + 2:
    failures.append(f"logs -f fds grew from {max(log_fds[:q])} to {max(log_fds[-q:])}")
if logs_left != "0 0 0":
    failures.append(f"left after the logs project's down -v: {logs_left}")
for f in failures:
    print("soak: FAIL:", f)
sys.exit(1 if failures else 0)
PY
