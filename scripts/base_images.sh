#!/usr/bin/env bash
# Makes the local base images the examples and `berth init` projects use when
# no container registry answers, from Debian packages only:
#   berth-local/python:3.11  Debian's python3 (3.11) and pip, CMD ["python3"]
#   berth-local/redis:7      Debian's redis-server (7.0), user redis (999), /data
# One debootstrap --variant=minbase root is kept under /var/cache/berth (with
# the downloaded .debs), and each image is that root plus `apt-get install`
# in a chroot, imported with `docker import`. Idempotent: an image that exists
# is left alone, so a second run takes a second. BERTH_DEBIAN_MIRROR picks the
# mirror (default: the one apt uses here, deb.debian.org).
# shellcheck disable=SC2317  # the setup_* functions are called through "$setup"
set -euo pipefail

log() { printf 'base images: %s\n' "$*" >&2; }
if [ "$(id -u)" -ne 0 ]; then exec sudo -E "$0" "$@"; fi

CACHE=/var/cache/berth
MINBASE=$CACHE/rootfs/bookworm-minbase
MIRROR=${BERTH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PYTHON_IMAGE=berth-local/python:3.11
REDIS_IMAGE=berth-local/redis:7

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# The shared Debian root. The marker file is written last, so a run that was
# interrupted half-way starts over instead of importing a broken root.
ensure_minbase() {
  [ -f "$MINBASE/.berth-complete" ] && return 0
  command -v debootstrap >/dev/null || { log "debootstrap is missing (scripts/setup.sh installs it)"; exit 1; }
  log "debootstrap bookworm (minbase) into $MINBASE; takes 1-4 minutes once"
  rm -rf "$MINBASE"
  mkdir -p "$CACHE/debs" "$(dirname "$MINBASE")"
  debootstrap --variant=minbase --cache-dir="$CACHE/debs" bookworm "$MINBASE" "$MIRROR" \
    >"$CACHE/debootstrap.log" 2>&1 || { tail -n 20 "$CACHE/debootstrap.log" >&2; exit 1; }
  touch "$MINBASE/.berth-complete"
}

# Copies the shared root to a scratch dir, runs `setup` in it (a function
# taking the root dir), trims what a container never reads, and imports it.
make_image() {
  local image=$1 setup=$2
  shift 2
  local root
  APT_LOG=$CACHE/apt-${image//[\/:]/-}.log
  : >"$APT_LOG"
  root=$(mktemp -d "$CACHE/build.XXXXXX")
  # shellcheck disable=SC2064  # expand now: $root is local
  trap "rm -rf '$root'" RETURN
  cp -a "$MINBASE/." "$root/"
  rm -f "$root/.berth-complete"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" apt-get update -qq >>"$APT_LOG" 2>&1 || { tail -n 20 "$APT_LOG" >&2; exit 1; }
  "$setup" "$root"
  # The same trimming Debian's slim images do: package lists, caches, docs.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/*.log \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/tmp/*
  : >"$root/etc/resolv.conf"  # the engine provides it
  tar --numeric-owner -C "$root" -c . | docker import "$@" - "$image" >/dev/null
  log "made $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%d MB", $1/1000000}'))"
}

apt_install() {
  local root=$1
  shift
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >>"$APT_LOG" 2>&1 || { tail -n 20 "$APT_LOG" >&2; exit 1; }
}

setup_python() { apt_install "$1" python3 python3-pip; }

# redis gets a fixed UID (999) before the package would pick one, so volume
# ownership is the same on every machine; /data belongs to it, so a new named
# volume mounted there is writable without a root entrypoint.
setup_redis() {
  local root=$1
  chroot "$root" groupadd --system --gid 999 redis
  chroot "$root" useradd --system --uid 999 --gid 999 --home-dir /var/lib/redis --shell /usr/sbin/nologin redis
  apt_install "$root" redis-server
  install -d -o 999 -g 999 "$root/data"
  # As the official image's entrypoint: flags alone mean redis-server flags,
  # and protected mode (loopback only when there is no password) is off
  # because clients come over the container network.
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then set -- "$@" --protected-mode no; fi
exec "$@"
SH
  chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
}

PATH_ENV='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

# Scratch roots of a run that was killed half-way.
rm -rf "$CACHE"/build.*
need=()
image_exists "$PYTHON_IMAGE" || need+=(python)
image_exists "$REDIS_IMAGE" || need+=(redis)
[ ${#need[@]} -eq 0 ] && exit 0
ensure_minbase
# The two images are independent: make them side by side.
pids=()
for kind in "${need[@]}"; do
  case $kind in
    python)
      make_image "$PYTHON_IMAGE" setup_python -c "$PATH_ENV" -c 'ENV LANG=C.UTF-8' \
        -c 'CMD ["python3"]' &
      ;;
    redis)
      make_image "$REDIS_IMAGE" setup_redis -c "$PATH_ENV" -c 'USER redis' -c 'WORKDIR /data' \
        -c 'EXPOSE 6379' -c 'ENTRYPOINT ["docker-entrypoint.sh"]' -c 'CMD ["redis-server"]' &
      ;;
  esac
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit $failed
