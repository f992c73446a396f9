# syntax=docker/dockerfile:1
# Multi-stage build: wheels in one stage, a small runtime image in the other.
FROM python:3.13.0-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt

FROM python:3.13.0-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=dgk_tracker.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 10001 dgk
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/* && rm -rf /wheels
COPY --chown=dgk:dgk . .
# Build-time steps need settings but no real secrets or database.
RUN DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.db \
    python manage.py compilemessages -v 0 \
    && DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.db \
    python manage.py collectstatic --noinput -v 0
USER dgk
EXPOSE 8000
COPY --chown=dgk:dgk docker/entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
