#!/usr/bin/env bash
# Times berth's `up -d` from nothing, no-op `up -d` and `down` on generated
# projects of busybox services, beside the raw engine floor (the same
# containers created and started straight through the API, all in parallel)
# and docker-compose when it is installed. Prints medians in milliseconds.
#
#   bench/up_bench.sh [-n RUNS] [-s "10 50"] [-b path/to/berth]
#
# Not run by the tests: it needs a quiet machine to mean anything.
set -euo pipefail

RUNS=5
SIZES="10 50"
BERTH="${BERTH:-$(dirname "$0")/../build/berth}"
while getopts "n:s:b:h" opt; do
  case "$opt" in
    n) RUNS="$OPTARG" ;;
    s) SIZES="$OPTARG" ;;
    b) BERTH="$OPTARG" ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
[ -x "$BERTH" ] || { echo "up_bench: no berth binary at $BERTH (build first, or pass -b)" >&2; exit 1; }

SOCK="${DOCKER_HOST:-unix:///var/run/docker.sock}"
SOCK="${SOCK#unix://}"
IMAGE="berth-local/busybox:latest"
API="http://localhost/v1.41"
WORK="$(mktemp -d /tmp/berth-bench.XXXXXX)"
export SOCK IMAGE API

now_ms() { date +%s%3N; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else print int((v[NR/2]+v[NR/2+1])/2)}'; }
api() {  # METHOD PATH [JSON]
  if [ $# -ge 3 ]; then
    curl -sf --unix-socket "$SOCK" -X "$1" -H 'Content-Type: application/json' -d "$3" "$API$2"
  else
    curl -sf --unix-socket "$SOCK" -X "$1" "$API$2"
  fi
}
export -f api

# init: true so that `sleep` stops on SIGTERM at once: down measures the
# engine's work, not a 10 s stop timeout.
generate() {  # DIR SERVICES
  mkdir -p "$1"
  {
    echo "services:"
    for i in $(seq 1 "$2"); do
      printf '  s%d:\n    image: %s\n    command: ["sleep", "3600"]\n    init: true\n' "$i" "$IMAGE"
    done
  } > "$1/compose.yaml"
}

timed() {  # COMMAND... -> milliseconds on stdout; the command's output is dropped
  local start end
  start=$(now_ms)
  "$@" > /dev/null 2>&1 || { echo "up_bench: failed: $*" >&2; exit 1; }
  end=$(now_ms)
  echo $((end - start))
}
# docker-compose 1.29's `down` of 50 services often fails at the very end
# ("network ... has active endpoints": it removes the network before the
# engine let go of the last endpoint). Its time is kept, and the failure said.
timed_tolerant() {
  local start end
  start=$(now_ms)
  "$@" > /dev/null 2>&1 || echo "up_bench: failed (timed anyway): $*" >&2
  end=$(now_ms)
  echo $((end - start))
}

# The floor: what the engine needs for the same containers with no tool in
# between. Same image, command, init and network as berth; every container's
# create+start (or stop+remove) chain runs at once.
floor_container_up() {  # PROJECT INDEX
  local body id
  body=$(printf '{"Image":"%s","Cmd":["sleep","3600"],"Labels":{"com.docker.compose.project":"%s"},"HostConfig":{"Init":true,"NetworkMode":"%s_default"}}' \
    "$IMAGE" "$1" "$1")
  id=$(api POST "/containers/create?name=$1-s$2-1" "$body" | sed -E 's/.*"Id":"([0-9a-f]+)".*/\1/')
  api POST "/containers/$id/start" > /dev/null
}
floor_container_down() {  # ID
  api POST "/containers/$1/stop?t=10" > /dev/null || true
  api DELETE "/containers/$1?force=1" > /dev/null
}
export -f floor_container_up floor_container_down
floor_up() {  # PROJECT SERVICES
  api POST /networks/create "{\"Name\":\"$1_default\",\"CheckDuplicate\":true,\"Labels\":{\"com.docker.compose.project\":\"$1\"}}" > /dev/null
  seq 1 "$2" | xargs -P "$2" -I{} bash -c 'floor_container_up "$0" "$1"' "$1" {}
}
floor_down() {  # PROJECT
  local filter ids
  filter=$(printf '{"label":["com.docker.compose.project=%s"]}' "$1" | jq -sRr @uri)
  ids=$(api GET "/containers/json?all=1&filters=$filter" | jq -r '.[].Id')
  [ -z "$ids" ] || echo "$ids" | xargs -P 64 -I{} bash -c 'floor_container_down "$0"' {}
  # The engine may still be letting go of the last endpoints for a moment
  # (seconds on a loaded machine).
  for _ in $(seq 1 50); do
    api DELETE "/networks/$1_default" > /dev/null && return 0
    sleep 0.2
  done
  return 1
}
export -f floor_up floor_down

PROJECTS=""
# An interrupted run leaves nothing behind.
cleanup() {
  for p in $PROJECTS; do
    ids=$(docker ps -aq --filter "label=com.docker.compose.project=$p" 2>/dev/null || true)
    [ -z "$ids" ] || docker rm -f $ids > /dev/null 2>&1 || true
    docker network rm "${p}_default" > /dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

COMPOSE_V1=$(command -v docker-compose || true)
printf '%-9s %-22s %10s %10s %10s %8s\n' services tool "up -d" "no-op up" down "up/floor"
for n in $SIZES; do
  dir="$WORK/p$n"
  generate "$dir" "$n"
  berth_project="bench-berth-$n-$$"
  floor_project="bench-floor-$n-$$"
  compose_project="bench-compose-$n-$$"
  PROJECTS="$PROJECTS $berth_project $floor_project $compose_project"
  : > "$WORK/berth_up" ; : > "$WORK/berth_noop" ; : > "$WORK/berth_down"
  : > "$WORK/floor_up" ; : > "$WORK/floor_down"
  : > "$WORK/compose_up" ; : > "$WORK/compose_noop" ; : > "$WORK/compose_down"
  for _ in $(seq 1 "$RUNS"); do
    # Back to back, so load on the machine hits tool and floor alike.
    timed "$BERTH" -f "$dir/compose.yaml" -p "$berth_project" --progress quiet up -d >> "$WORK/berth_up"
    timed "$BERTH" -f "$dir/compose.yaml" -p "$berth_project" --progress quiet up -d >> "$WORK/berth_noop"
    timed "$BERTH" -f "$dir/compose.yaml" -p "$berth_project" --progress quiet down >> "$WORK/berth_down"
    timed floor_up "$floor_project" "$n" >> "$WORK/floor_up"
    timed floor_down "$floor_project" >> "$WORK/floor_down"
    if [ -n "$COMPOSE_V1" ]; then
      timed_tolerant "$COMPOSE_V1" -f "$dir/compose.yaml" -p "$compose_project" up -d >> "$WORK/compose_up"
      timed_tolerant "$COMPOSE_V1" -f "$dir/compose.yaml" -p "$compose_project" up -d >> "$WORK/compose_noop"
      timed_tolerant "$COMPOSE_V1" -f "$dir/compose.yaml" -p "$compose_project" down >> "$WORK/compose_down"
      # Whatever a failed compose run left must not count against the next round.
      ids=$(docker ps -aq --filter "label=com.docker.compose.project=$compose_project")
      [ -z "$ids" ] || docker rm -f $ids > /dev/null 2>&1 || true
      docker network rm "${compose_project}_default" > /dev/null 2>&1 || true
    fi
  done
  floor_up_ms=$(median < "$WORK/floor_up")
  ratio() { awk -v a="$1" -v b="$floor_up_ms" 'BEGIN {if (b > 0 && a != "-") printf "%.2fx", a / b; else print "-"}'; }
  up=$(median < "$WORK/berth_up")
  printf '%-9s %-22s %10s %10s %10s %8s\n' "$n" berth "$up" "$(median < "$WORK/berth_noop")" \
    "$(median < "$WORK/berth_down")" "$(ratio "$up")"
  printf '%-9s %-22s %10s %10s %10s %8s\n' "$n" "engine floor (curl)" "$floor_up_ms" "-" \
    "$(median < "$WORK/floor_down")" "1.00x"
  if [ -n "$COMPOSE_V1" ]; then
    up=$(median < "$WORK/compose_up")
    printf '%-9s %-22s %10s %10s %10s %8s\n' "$n" "docker-compose $("$COMPOSE_V1" version --short 2>/dev/null)" "$up" \
      "$(median < "$WORK/compose_noop")" "$(median < "$WORK/compose_down")" "$(ratio "$up")"
  fi
done
echo "medians of $RUNS runs, milliseconds; down ratio: compare the down column with the floor's"
