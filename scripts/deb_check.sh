#!/usr/bin/env bash
# Builds berth's Debian package (cpack -G DEB) and installs it with apt into
# a clean Debian 12 root made by debootstrap (minbase), then checks what the
# package promises there: berth runs (config of a compose file), --help, the
# man pages, the bash completion, the docker CLI plugin link.
#   scripts/deb_check.sh        (root; needs Debian's mirror for debootstrap)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BERTH_BUILD_DIR:-build}
scripts/build.sh berth berth-build-session berth_man >/dev/null
rm -f "$BUILD_DIR"/berth_*.deb
(cd "$BUILD_DIR" && cpack -G DEB >/dev/null)
deb=$(ls "$BUILD_DIR"/berth_*.deb)
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
root=$(mktemp -d /tmp/berth-deb-root.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "deb_check: debootstrap bookworm (minbase) into $root"
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
cp "$deb" "$root/tmp/"
echo "deb_check: apt install ./$(basename "$deb")"
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "/tmp/$(basename "$deb")" >/dev/null
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
in_root berth version --short
in_root berth --help | head -1
mkdir -p "$root/tmp/project"
printf 'services:\n  web:\n    image: busybox\n    ports: ["8080:80"]\n' >"$root/tmp/project/compose.yaml"
in_root sh -c 'cd /tmp/project && berth config' | grep -q 'host_ip: 127.0.0.1'
test -f "$root/usr/share/man/man1/berth-up.1"
in_root bash -c '. /usr/share/bash-completion/completions/berth && complete -p berth' >/dev/null
in_root /usr/lib/docker/cli-plugins/docker-berth docker-cli-plugin-metadata | grep -q '"Vendor":"berth"'
echo "deb_check: $(basename "$deb") installs and runs on a clean Debian 12 root"
