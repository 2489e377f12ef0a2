#!/usr/bin/env bash
# Makes this machine ready for berth: Debian packages, a running Docker
# engine, and the local base images tests and examples use. Idempotent: a
# second run only checks. Never disturbs an engine that already answers.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }
# Installing packages and starting dockerd need root.
if [ "$(id -u)" -ne 0 ]; then exec sudo -E "$0" "$@"; fi

PACKAGES=(
  build-essential cmake ninja-build pkg-config curl ca-certificates
  libyaml-cpp-dev libboost-dev nlohmann-json3-dev libcli11-dev catch2
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc  # BuildKit's build session
  docker.io busybox-static ccache debootstrap docker-registry openssh-client
  zsh fish bash-completion  # the completion tests run each shell
  clang libclang-rt-14-dev  # the fuzz targets and sanitizer builds (scripts/fuzz.sh)
  time python3  # bench/soak.sh, which the test command runs short
)

install_missing_packages() {
  local missing=()
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The socket path when DOCKER_HOST is unset or unix://, empty for tcp://.
engine_socket() {
  case "${DOCKER_HOST:-}" in
    "") echo /var/run/docker.sock ;;
    unix://*) echo "${DOCKER_HOST#unix://}" ;;
    *) echo "" ;;
  esac
}

engine_answers() {
  local sock
  sock=$(engine_socket)
  if [ -n "$sock" ]; then
    curl -sf --max-time 2 --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1
  else
    curl -sf --max-time 2 "http://${DOCKER_HOST#tcp://}/_ping" >/dev/null 2>&1
  fi
}

ensure_engine() {
  engine_answers && return 0
  if [ -n "${DOCKER_HOST:-}" ] && [ "$(engine_socket)" != /var/run/docker.sock ]; then
    log "no engine answers at DOCKER_HOST=$DOCKER_HOST; start it, or unset DOCKER_HOST to use the local one"
    exit 1
  fi
  log "starting dockerd (log: /var/log/berth-dockerd.log)"
  setsid nohup dockerd </dev/null >/var/log/berth-dockerd.log 2>&1 &
  local i
  for i in $(seq 1 120); do
    engine_answers && return 0
    sleep 0.5
  done
  log "dockerd did not answer within 60 s; see /var/log/berth-dockerd.log"
  tail -n 20 /var/log/berth-dockerd.log >&2 || true
  exit 1
}

# berth-local/busybox: a tiny image from Debian's busybox-static with a root
# and an unprivileged user, so no registry is needed. The content is fixed,
# so the image ID is the same on every machine with the same busybox.
ensure_busybox_image() {
  local image=berth-local/busybox:latest
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  log "making $image from busybox-static"
  local root
  root=$(mktemp -d)
  trap 'rm -rf "$root"' RETURN
  mkdir -p "$root"/{bin,etc,tmp,root,home/app,var/run,proc,sys,dev}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"
  chown 1000:1000 "$root/home/app"
  tar --sort=name --mtime=@0 --numeric-owner -C "$root" -c . \
    | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - "$image" >/dev/null
}

# The SARIF 2.1.0 schema and a JSON Schema validator (ajv) from the npm
# registry, for the test that validates `berth audit --format sarif`
# (tests/tools/validate_json.js). Kept under /var/cache/berth; a second run
# only checks.
SARIF_TOOLS=/var/cache/berth/sarif
ensure_sarif_validator() {
  [ -f "$SARIF_TOOLS/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json" ] &&
    [ -f "$SARIF_TOOLS/node_modules/ajv/lib/ajv.js" ] && return 0
  if ! command -v npm >/dev/null; then
    log "installing nodejs npm"
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  log "installing the SARIF schema and validator into $SARIF_TOOLS"
  mkdir -p "$SARIF_TOOLS"
  npm install --prefix "$SARIF_TOOLS" --no-audit --no-fund --loglevel=error @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null
}

install_missing_packages
ensure_engine
ensure_busybox_image
ensure_sarif_validator
# Python and redis images from Debian packages, for the examples and berth init.
scripts/base_images.sh
