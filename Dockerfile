# syntax=docker/dockerfile:1
# DGK Tracker: a small runtime image built in two stages.
FROM python:3.13.1-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
# Dependencies in their own layer: rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt

FROM python:3.13.1-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=dgk_tracker.settings.production \
    PORT=8000
RUN apt-get update && apt-get install -y --no-install-recommends gettext fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 10001 dgk
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/* && rm -rf /wheels
COPY --chown=dgk:dgk . .
# Build-time steps need settings, not secrets or a database.
RUN export DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
        DATABASE_URL=sqlite:////tmp/build.sqlite3 EMAIL_URL=dummymail:// SMS_URL=locmem:// TRUSTED_PROXY_COUNT=0 PUBLIC_BASE_URL=http://localhost \
    && python manage.py compilemessages -v 0 \
    && python manage.py collectstatic --noinput -v 0 \
    && rm -f /tmp/build.sqlite3
USER dgk
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/healthz', timeout=2)"
ENTRYPOINT ["/app/docker/entrypoint.sh"]
