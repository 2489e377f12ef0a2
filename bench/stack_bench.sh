#!/usr/bin/env bash
# Times `berth stack deploy` of N services and a no-op redeploy, paired with
# `docker stack deploy` of the same file, on a single-node swarm (made on
# loopback for the run when the engine is in none, and left afterwards).
# Both deploy with --detach, so the same API work is timed, not the tasks'
# start-up, and with --resolve-image never (no registry here: docker's CLI
# would spend seconds failing to reach one). Prints medians in milliseconds.
#
#   bench/stack_bench.sh [-n RUNS] [-s SERVICES] [-b path/to/berth]
#
# Not run by the tests: it needs a quiet machine to mean anything.
set -euo pipefail

RUNS=3
SERVICES=20
BERTH="${BERTH:-$(dirname "$0")/../build/berth}"
while getopts "n:s:b:h" opt; do
  case "$opt" in
    n) RUNS="$OPTARG" ;;
    s) SERVICES="$OPTARG" ;;
    b) BERTH="$OPTARG" ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
done
BERTH="$(realpath "$BERTH" 2>/dev/null || echo "$BERTH")"
[ -x "$BERTH" ] || { echo "stack_bench: no berth binary at $BERTH (build first, or pass -b)" >&2; exit 1; }
command -v docker >/dev/null || { echo "stack_bench: needs the docker CLI (docker stack)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/berth-stack-bench.XXXXXX)"
MADE_SWARM=0
cleanup() {
  for s in "bench_berth_$$" "bench_docker_$$"; do "$BERTH" stack rm "$s" >/dev/null 2>&1 || true; done
  if [ "$MADE_SWARM" = 1 ]; then
    docker swarm leave --force >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do docker network rm docker_gwbridge >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != "active" ]; then
  docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null
  MADE_SWARM=1
fi

{
  echo "services:"
  for i in $(seq 1 "$SERVICES"); do
    printf '  s%d:\n    image: berth-local/busybox:latest\n    command: ["sleep", "3600"]\n    deploy: {endpoint_mode: dnsrr}\n' "$i"
  done
} >"$WORK/compose.yaml"

now_ms() { date +%s%3N; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

berth_deploy=() berth_noop=() docker_deploy=() docker_noop=()
for run in $(seq 1 "$RUNS"); do
  t=$(now_ms); "$BERTH" -f "$WORK/compose.yaml" --progress quiet stack deploy --detach --resolve-image never "bench_berth_$$"; berth_deploy+=($(( $(now_ms) - t )))
  t=$(now_ms); "$BERTH" -f "$WORK/compose.yaml" --progress quiet stack deploy --detach --resolve-image never "bench_berth_$$"; berth_noop+=($(( $(now_ms) - t )))
  t=$(now_ms); docker stack deploy --detach=true --resolve-image never -c "$WORK/compose.yaml" "bench_docker_$$" >/dev/null 2>&1; docker_deploy+=($(( $(now_ms) - t )))
  t=$(now_ms); docker stack deploy --detach=true --resolve-image never -c "$WORK/compose.yaml" "bench_docker_$$" >/dev/null 2>&1; docker_noop+=($(( $(now_ms) - t )))
  "$BERTH" stack rm "bench_berth_$$" >/dev/null 2>&1
  "$BERTH" stack rm "bench_docker_$$" >/dev/null 2>&1
done

printf '%-22s %10s %14s\n' "$SERVICES services" "deploy ms" "no-op ms"
printf '%-22s %10s %14s\n' "berth stack" "$(median "${berth_deploy[@]}")" "$(median "${berth_noop[@]}")"
printf '%-22s %10s %14s\n' "docker stack" "$(median "${docker_deploy[@]}")" "$(median "${docker_noop[@]}")"
