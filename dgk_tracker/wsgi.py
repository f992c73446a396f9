"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dgk_tracker.settings.production")
# A web request never waits more than 5 s on one statement: the visitor gets the 503 page.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "5000")

application = get_wsgi_application()
