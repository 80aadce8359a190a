#!/bin/sh
# The image's two roles: `web` migrates and serves; `worker` runs the background tasks
# (mail, report batches). Anything else runs as a command (e.g. `manage.py export_district`).
set -eu
case "${1:-web}" in
  web)
    python manage.py migrate --no-input -v0
    exec gunicorn config.wsgi --bind 0.0.0.0:8000 --workers "${WEB_WORKERS:-3}" \
      --threads "${WEB_THREADS:-4}" --timeout 60 --access-logfile - --log-level warning
    ;;
  worker)
    exec python manage.py db_worker
    ;;
  *)
    exec "$@"
    ;;
esac
