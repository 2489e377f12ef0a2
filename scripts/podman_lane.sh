#!/usr/bin/env bash
# The Podman lane: end-to-end tests against Podman's Docker-compatible API
# (`podman system service`) instead of dockerd.
#
#   scripts/podman_lane.sh [catch2 test spec]   default: the tests tagged [podman]
#
# Installs podman, catatonit (the init berth's policy turns on) and the CNI
# dnsname plugin (service names as host names) when missing, writes a
# CONTAINERS_CONF of the project's own (default_ulimits = []: podman's
# default rlimits are not permitted on machines like this one), starts `podman system service` on a project-owned socket when none
# answers there, loads the local base images from the Docker engine
# (scripts/setup.sh made them), then runs the e2e tests with DOCKER_HOST
# pointing at Podman and prints how many ran and how many were left out,
# with the reasons.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf 'podman lane: %s\n' "$*" >&2; }
if [ "$(id -u)" -ne 0 ]; then exec sudo -E "$0" "$@"; fi

ROOT=${BERTH_PODMAN_ROOT:-/run/berth-podman}
SOCK=$ROOT/podman.sock
SPEC=${1:-[podman]}
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
all=$("$BUILD_DIR/berth_e2e" --list-test-names-only "~[swarm]" | grep -c . || true)
selected=$("$BUILD_DIR/berth_e2e" --list-test-names-only "$SPEC" | grep -c . || true)
log "running $selected of the $all e2e tests (swarm aside) against $(podman --version) ($SPEC)"
log "left out ($((all - selected))), and why: [swarm] Podman has no swarm mode; [buildkit] no BuildKit or build"
log "sessions in Podman's API; the rest are not yet verified on Podman (README: Podman)"
DOCKER_HOST=unix://$SOCK "$BUILD_DIR/berth_e2e" "$SPEC" -r compact
