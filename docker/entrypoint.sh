#!/bin/sh
# Wait for the database, apply migrations only when asked (MIGRATE=1: run it in one container
# or a release job, not in every replica), then hand the process over to gunicorn.
set -e
python - <<'PY'
import os, sys, time
import django
django.setup()
from django.db import connection
deadline = time.monotonic() + int(os.environ.get("DB_WAIT_SECONDS", "60"))
while True:
    try:
        connection.ensure_connection()
        break
    except Exception as error:
        if time.monotonic() > deadline:
            sys.exit(f"database not reachable: {error}")
        print("waiting for the database …", flush=True)
        time.sleep(2)
PY
if [ "${MIGRATE:-0}" = "1" ]; then
  python manage.py migrate --noinput
fi
exec gunicorn -c gunicorn.conf.py dgk_tracker.wsgi:application
