"""Tests: SQLite unless DATABASE_URL is set (CI sets it to PostgreSQL)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ["DJANGO_DEBUG"] = "false"

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# SMS go to a list in memory (appeals.notices.sms.outbox), as e-mails go to django.core.mail.outbox.
SMS_URL = "locmem://"
