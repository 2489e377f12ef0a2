#!/usr/bin/env bash
# The main job: make the machine ready, build berth, and bring up the example
# stack in examples/hello (a web server on loopback with a named volume).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
BERTH=$PWD/build/berth
COMPOSE=examples/hello/compose.yaml
"$BERTH" -f "$COMPOSE" up -d --wait
port=${HELLO_PORT:-8080}
cat <<MSG

hello is up: http://127.0.0.1:$port/  (try: curl http://127.0.0.1:$port/)
  status:  $BERTH -f $COMPOSE ps
  stop:    $BERTH -f $COMPOSE down        (add -v to also remove its volume)
MSG
