#!/usr/bin/env bash
# What the pip cache mount in examples/python-web's builder stage saves.
# Builds the example's web image with `berth build`, as the Dockerfile is
# (RUN --mount=type=cache,target=/root/.cache/pip) and with that mount
# replaced by pip's --no-cache-dir (the form before it), and times two
# rebuilds per round:
#   code: a one-line change to app/app.py
#   deps: a one-line change to requirements.txt (one package more, at a new
#         version each round)
# There is no PyPI here: a local index (python3's http.server, serving
# generated pure-Python wheels of SIZE MB each, PACKAGES of them, at RATE
# MB/s, a modest link) stands in for it; the build runs with network: host
# to reach it. Prints the medians per variant.
#
#   bench/pip_cache_bench.sh [-n ROUNDS] [-p PACKAGES] [-s SIZE_MB] [-r RATE_MB_S] [-b path/to/berth]
#
# Not run by the tests: it needs a quiet machine to mean anything.
# BERTH_BENCH_KEEP=1 keeps the work directory (server.log: what pip fetched).
set -euo pipefail

ROUNDS=3 PACKAGES=4 SIZE=8 RATE=10
BERTH="${BERTH:-$(dirname "$0")/../build/berth}"
while getopts "n:p:s:r:b:h" opt; do
  case "$opt" in
    n) ROUNDS="$OPTARG" ;;
    p) PACKAGES="$OPTARG" ;;
    s) SIZE="$OPTARG" ;;
    r) RATE="$OPTARG" ;;
    b) BERTH="$OPTARG" ;;
    *) sed -n '2,18p' "$0"; exit 2 ;;
  esac
done
BERTH="$(realpath "$BERTH" 2>/dev/null || echo "$BERTH")"
[ -x "$BERTH" ] || { echo "pip_cache_bench: no berth binary at $BERTH (build first, or pass -b)" >&2; exit 1; }
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export BERTH_PYTHON_IMAGE=${BERTH_PYTHON_IMAGE:-berth-local/python:3.11}
export DOCKER_BUILDKIT=1

PROJECT="berth-pip-bench-$$"
WORK="$(mktemp -d /tmp/berth-pip-bench.XXXXXX)"
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  for variant in mount nocache; do
    "$BERTH" -p "$PROJECT-$variant" -f "$WORK/$variant/compose.yaml" -f "$WORK/bench.yml" down --rmi local \
      >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
[ -n "${BERTH_BENCH_KEEP:-}" ] || trap cleanup EXIT

# The wheels: name-version, a module and SIZE MB of random (incompressible)
# data, so a download costs what a real wheel of that size does.
mkdir -p "$WORK/index"
python3 - "$WORK/index" "$PACKAGES" "$SIZE" "$ROUNDS" <<'EOF'
import base64, hashlib, os, sys, zipfile
index, packages, size, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def wheel(name, version):
    dist = f"{name}-{version}"
    files = {
        f"{name}/__init__.py": f"VERSION = '{version}'\n".encode(),
        f"{name}/data.bin": os.urandom(size * 1024 * 1024),
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{dist}.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: berth-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = ""
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record += f"{path},sha256={digest},{len(data)}\n"
    record += f"{dist}.dist-info/RECORD,,\n"
    with zipfile.ZipFile(os.path.join(index, f"{dist}-py3-none-any.whl"), "w", zipfile.ZIP_STORED) as z:
        for path, data in files.items():
            z.writestr(path, data)
        z.writestr(f"{dist}.dist-info/RECORD", record)
for i in range(packages - 1):
    wheel(f"benchdep{i}", "1.0")
for r in range(rounds + 1):
    wheel("benchnew", f"1.{r}")
EOF

# The index: a directory listing pip reads with --find-links, sent at RATE MB/s.
PORT=$((20000 + $$ % 10000))
python3 - "$WORK/index" "$PORT" "$RATE" >"$WORK/server.log" 2>&1 <<'EOF' &
import functools, http.server, sys, time
root, port, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
class Throttled(http.server.SimpleHTTPRequestHandler):
    # As PyPI serves its files: cacheable for good (pip's HTTP cache keeps
    # only responses that say so).
    def end_headers(self):
        if self.path.endswith(".whl"):
            self.send_header("Cache-Control", "max-age=365000000, immutable, public")
        super().end_headers()
    def copyfile(self, source, destination):
        chunk = 64 * 1024
        while data := source.read(chunk):
            destination.write(data)
            time.sleep(len(data) / (rate * 1024 * 1024))
http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Throttled, directory=root)).serve_forever()
EOF
SERVER=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done

cat >"$WORK/bench.yml" <<EOF
services:
  web:
    build:
      network: host
EOF
for variant in mount nocache; do
  cp -r "$ROOT/examples/python-web" "$WORK/$variant"
done
# The form before the cache mount: no mount, pip told to keep no cache.
sed -i -e 's|^RUN --mount=type=cache,target=/root/.cache/pip \\$|RUN \\|' \
  -e 's|pip install --prefix=/deps|pip install --no-cache-dir --prefix=/deps|' "$WORK/nocache/Dockerfile"
grep -q -- '--mount=type=cache' "$WORK/mount/Dockerfile" || { echo "pip_cache_bench: no cache mount in the example's Dockerfile" >&2; exit 1; }
! grep -q -- '--mount=type=cache' "$WORK/nocache/Dockerfile" || { echo "pip_cache_bench: could not take the mount out" >&2; exit 1; }

requirements() {  # $1: variant, $2: benchnew's version
  # --trusted-host: pip caches plain-HTTP downloads only from a trusted host
  # (PyPI is HTTPS, whose downloads it caches anyway).
  { echo "--find-links http://127.0.0.1:$PORT/"
    echo "--trusted-host 127.0.0.1"
    echo "--no-index"
    for i in $(seq 0 $((PACKAGES - 2))); do echo "benchdep$i==1.0"; done
    echo "benchnew==1.$2"; } >"$WORK/$1/requirements.txt"
}
build() {  # $1: variant; prints seconds
  local start end
  start=$(date +%s.%N)
  "$BERTH" -p "$PROJECT-$1" -f "$WORK/$1/compose.yaml" -f "$WORK/bench.yml" --progress quiet build web \
    >"$WORK/$1.log" 2>&1 || { echo "pip_cache_bench: the $1 build failed:" >&2; tail -20 "$WORK/$1.log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

total=$((PACKAGES * SIZE))
echo "pip_cache_bench: $PACKAGES packages of $SIZE MB ($total MB) at $RATE MB/s, $ROUNDS rounds"
for variant in mount nocache; do
  requirements "$variant" 0
  build "$variant" >/dev/null  # the first build fills what can be filled
  : >"$WORK/$variant.code" && : >"$WORK/$variant.deps"
  for round in $(seq 1 "$ROUNDS"); do
    echo "# edit $round" >>"$WORK/$variant/app/app.py"
    build "$variant" >>"$WORK/$variant.code"
    requirements "$variant" "$round"
    build "$variant" >>"$WORK/$variant.deps"
  done
done
printf '%-34s %12s %12s\n' "rebuild after" "cache mount" "no cache"
printf '%-34s %11.1fs %11.1fs\n' "a one-line code change" \
  "$(median <"$WORK/mount.code")" "$(median <"$WORK/nocache.code")"
printf '%-34s %11.1fs %11.1fs\n' "a one-line requirements change" \
  "$(median <"$WORK/mount.deps")" "$(median <"$WORK/nocache.deps")"
