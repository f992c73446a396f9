#!/bin/sh
# Apply migrations only when asked (MIGRATE=1), then hand the process over to gunicorn.
set -e
if [ "${MIGRATE:-0}" = "1" ]; then
  python manage.py migrate --noinput
fi
exec gunicorn dgk_tracker.wsgi:application --bind 0.0.0.0:8000 --workers "${WEB_CONCURRENCY:-3}" --access-logfile -
