#!/bin/sh
# The classic dev/prod entrypoint: APP_ENV decides how `serve` (the image's
# default command) runs. Any other command (e.g. `berth run web sh`) runs as
# given.
set -eu
if [ "${1:-}" = serve ]; then
  case "${APP_ENV:-production}" in
    development) set -- python3 -X dev app.py --reload ;;  # warnings on, restart on edits
    production) set -- python3 app.py ;;
    *)
      echo "docker-entrypoint.sh: APP_ENV must be development or production, not '$APP_ENV'" >&2
      exit 64
      ;;
  esac
fi
exec "$@"
