#!/usr/bin/env bash
# The Podman lane: end-to-end tests against Podman's Docker-compatible API
# (`podman system service`) instead of dockerd.
#
#   scripts/podman_lane.sh           the CI lane: every e2e test but [swarm],
#                                    [buildkit] and those tests/e2e/podman_skips.tsv
#                                    lists (each with why)
#   scripts/podman_lane.sh all       also the ones the table leaves out for time
#   scripts/podman_lane.sh SPEC      the tests a Catch2 spec selects (minus the table's)
#
# Installs podman, catatonit (the init berth's policy turns on) and the CNI
# dnsname plugin (service names as host names) when missing, writes a
# CONTAINERS_CONF of the project's own (default_ulimits = []: podman's
# default rlimits are not permitted on machines like this one), starts
# `podman system service` on a project-owned socket when none answers
# there, loads the local base images from the Docker engine
# (scripts/setup.sh made them), then runs the e2e tests with DOCKER_HOST
# pointing at Podman and prints how many ran and how many were left out,
# with the reasons.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf 'podman lane: %s\n' "$*" >&2; }
if [ "$(id -u)" -ne 0 ]; then exec sudo -E "$0" "$@"; fi

ROOT=${BERTH_PODMAN_ROOT:-/run/berth-podman}
SOCK=$ROOT/podman.sock
SPEC=${1:-lane}  # lane: every e2e test but swarm, buildkit and the table's; all: also the slow ones
SKIPS=tests/e2e/podman_skips.tsv
BUILD_DIR=${BERTH_BUILD_DIR:-build}

missing=()
# dnsname: the CNI plugin that lets containers find each other by service
# name on Podman's CNI networks (without it every lookup of "db" fails).
for p in podman catatonit golang-github-containernetworking-plugin-dnsname; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$ROOT"
printf '[containers]\ndefault_ulimits = []\n' > "$ROOT/containers.conf"
export CONTAINERS_CONF=$ROOT/containers.conf
answers() { curl -sf --max-time 5 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }
if ! answers; then
  log "starting podman system service on $SOCK (log: $ROOT/service.log)"
  setsid nohup podman system service --time=0 "unix://$SOCK" </dev/null >"$ROOT/service.log" 2>&1 &
  for _ in $(seq 1 60); do answers && break; sleep 0.5; done
  answers || { log "podman did not answer on $SOCK"; tail -n 20 "$ROOT/service.log" >&2; exit 1; }
fi
for image in berth-local/busybox:latest berth-local/python:3.11 berth-local/redis:7; do
  podman image exists "localhost/$image" && continue
  log "loading $image from the Docker engine"
  docker save "$image" | podman load -q >/dev/null
done

[ -x "$BUILD_DIR/berth_e2e" ] || { log "no $BUILD_DIR/berth_e2e: run scripts/build.sh first"; exit 1; }
WORK=$ROOT/lane
rm -rf "$WORK" && mkdir -p "$WORK"
list() { "$BUILD_DIR/berth_e2e" --list-test-names-only "$1" | grep . | sort || true; }
list "~[swarm]" > "$WORK/all"
# The table: name <TAB> differs|budget <TAB> why (tests/e2e/podman_skips.tsv).
grep -v '^#' "$SKIPS" | grep . | sort -t $'\t' -k1,1 > "$WORK/table"
awk -F'\t' '$2 == "differs"' "$WORK/table" > "$WORK/differs"
awk -F'\t' '$2 == "budget"' "$WORK/table" > "$WORK/budget"
if [ "$SPEC" = all ]; then cut -f1 "$WORK/differs" | sort > "$WORK/excluded"; else cut -f1 "$WORK/table" | sort > "$WORK/excluded"; fi
case $SPEC in
  lane|all) list "~[swarm]~[buildkit]" | comm -23 - "$WORK/excluded" > "$WORK/selected" ;;
  *) list "$SPEC" | comm -23 - "$WORK/excluded" > "$WORK/selected" ;;
esac
total=$(wc -l < "$WORK/all") selected=$(wc -l < "$WORK/selected")
log "running $selected of the $total e2e tests (swarm aside) against $(podman --version) ($SPEC)"
log "left out: $((total - selected))"
log "  $(list "[buildkit]" | wc -l) [buildkit]: no BuildKit or build sessions in Podman's API (builds use buildah)"
log "  [swarm] aside: Podman has no swarm mode"
log "  $(wc -l < "$WORK/differs") where Podman's API behaves or reports otherwise ($SKIPS):"
while IFS=$'\t' read -r name _ why; do log "    - $name: $why"; done < "$WORK/differs"
if [ "$SPEC" != all ]; then
  log "  $(wc -l < "$WORK/budget") that pass on Podman but are too slow for the CI lane (scripts/podman_lane.sh all runs them):"
  while IFS=$'\t' read -r name _ why; do log "    - $name: $why"; done < "$WORK/budget"
fi
if [ "$SPEC" != lane ] && [ "$SPEC" != all ]; then
  log "  the rest: not selected by $SPEC"
fi

# Two processes, each half of the tests: the tests use unique project names
# and mostly wait on the engine.
shards=${BERTH_PODMAN_SHARDS:-2}
escape() { sed -e 's/\\/\\\\/g' -e 's/,/\\,/g' -e 's/\[/\\[/g'; }
status=0
pids=()
for i in $(seq 0 $((shards - 1))); do
  awk -v n="$shards" -v i="$i" 'NR % n == i' "$WORK/selected" | escape > "$WORK/shard$i.spec"
  [ -s "$WORK/shard$i.spec" ] || continue
  DOCKER_HOST=unix://$SOCK "$BUILD_DIR/berth_e2e" -f "$WORK/shard$i.spec" -r compact >"$WORK/shard$i.log" 2>&1 &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then status=1; fi
done
for log_file in "$WORK"/shard*.log; do cat "$log_file"; done
[ $status -eq 0 ] && log "passed: $selected tests" || log "FAILED (the output above; logs in $WORK)"
exit $status
