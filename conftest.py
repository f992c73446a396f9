"""Project-wide pytest fixtures and the database-vendor guard CI relies on."""

from __future__ import annotations

import os

import pytest
from django.db import connection


def pytest_report_header(config) -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


@pytest.fixture(scope="session", autouse=True)
def _require_database_vendor(django_db_setup, django_db_blocker) -> None:
    """With REQUIRE_DB_VENDOR set (CI sets it to postgresql), fail unless the suite really
    runs on that database: a CI that silently fell back to SQLite must not pass."""
    wanted = os.environ.get("REQUIRE_DB_VENDOR")
    if wanted and connection.vendor != wanted:
        pytest.exit(f"REQUIRE_DB_VENDOR={wanted} but the tests run on {connection.vendor}", returncode=3)


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the default language, whatever the previous one activated."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and other cached state never leak from one test into the next."""
    from django.core.cache import caches

    from web import ratelimit

    caches["default"].clear()
    ratelimit.forget()
    yield
    caches["default"].clear()
    ratelimit.forget()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """The SMS outbox (SMS_URL=locmem://) starts empty in each test, as Django's mail.outbox does."""
    from appeals.notifications import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()
