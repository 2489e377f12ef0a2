#!/usr/bin/env bash
# The main job: make the machine ready (scripts/setup.sh, which also makes
# the local base images), build berth (not its tests), and bring up examples/python-web in
# the dev environment (a Python web app with redis in a named volume, the
# source bind-mounted, a REPL sidecar), waiting until it is healthy.
# No registry is needed: the examples' base images are the local ones.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Only what the demo runs: berth, and the helper BuildKit builds use. The
# test command builds the rest.
scripts/build.sh berth berth-build-session >/dev/null
BUILD_DIR=${BERTH_BUILD_DIR:-build}  # as scripts/build.sh
BERTH=$PWD/$BUILD_DIR/berth
# The local images scripts/base_images.sh made from Debian packages; unset,
# the example would use the public python:3.11-slim and redis:7.
export BERTH_PYTHON_IMAGE=${BERTH_PYTHON_IMAGE:-berth-local/python:3.11}
export BERTH_REDIS_IMAGE=${BERTH_REDIS_IMAGE:-berth-local/redis:7}
COMPOSE=examples/python-web/compose.yaml
port=${WEB_PORT:-8000}
"$BERTH" -f "$COMPOSE" --env dev up -d --build --wait
B="$BUILD_DIR/berth -f $COMPOSE --env dev"
cat <<MSG

python-web is up in the dev environment: http://127.0.0.1:$port/
  (try: curl http://127.0.0.1:$port/ ; edit examples/python-web/app/app.py and reload)
  status:  $B ps
  logs:    $B logs -f web
  repl:    $B attach repl          (a Python prompt with db = the redis client; detach: Ctrl-P Ctrl-Q)
  stop:    $B down                 (add -v to also remove the db-data volume)
MSG
