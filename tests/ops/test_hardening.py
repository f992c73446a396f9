"""Production readiness as a client, a browser and an operator see it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import django
import pytest
from django.db import OperationalError
from django.template.loader import render_to_string
from django.utils import translation

from appeals.models import LookupLog, LookupOutcome
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.parametrize("path", ["/az/", "/ru/track/?number=2026-000001-5", "/admin/login/", "/api/v1/letters/x"])
def test_security_headers_on_public_admin_and_api_responses(client, path):
    response = client.get(path)
    for header, value in EXPECTED_HEADERS.items():
        assert response[header] == value, header
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Request-ID"]
    if django.VERSION >= (6, 0):
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp


def test_a_sane_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client):
    assert client.get("/az/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert client.get("/az/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "dgk_tracker.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "DJANGO_ALLOWED_HOSTS": "tracker.customs.gov.az",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
        "EMAIL_URL": "smtp://mail.customs.gov.az:587",
        "TRUSTED_PROXY_COUNT": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL", "TRUSTED_PROXY_COUNT"]
)
def test_production_settings_refuse_to_start_without_their_essentials(missing):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "dgk_tracker.settings.production",
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "tracker.customs.gov.az",
        "DATABASE_URL": "sqlite:////tmp/x.sqlite3",
        "EMAIL_URL": "smtp://mail:25",
        "TRUSTED_PROXY_COUNT": "0",
    }
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert missing in result.stderr


def test_public_lookup_rate_limit_gives_a_translated_429_and_is_logged(client, settings):
    settings.LOOKUP_RATE_LIMITS = [(3, 60), (100, 86400)]
    codes = [client.get("/ru/track/", {"number": "2026-000001-5"}).status_code for _ in range(3)]
    assert codes == [404, 404, 404]
    limited = client.get("/ru/track/", {"number": "2026-000001-5"})
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Слишком много" in limited.content.decode()
    assert LookupLog.objects.filter(outcome=LookupOutcome.RATE_LIMITED).count() == 1
    assert LookupLog.objects.count() == 4


def test_the_daily_limit_counts_too(client, settings):
    settings.LOOKUP_RATE_LIMITS = [(100, 60), (2, 86400)]
    codes = [client.get("/en/track/", {"number": "x"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def test_a_forged_forwarded_for_does_not_dodge_the_limit(client, settings):
    settings.LOOKUP_RATE_LIMITS = [(2, 60)]
    settings.TRUSTED_PROXY_COUNT = 0
    codes = [
        client.get("/en/track/", {"number": "x"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(3)
    ]
    assert codes[-1] == 429


def test_a_blocked_client_is_answered_without_the_store_until_its_window_ends():
    from dgk_tracker import ratelimit

    limits = [(2, 60)]
    assert [ratelimit.hit("storm", limits, now=120.0) for _ in range(3)] == [0, 0, 60]
    unreachable = mock.Mock(side_effect=AssertionError("the store was asked"))
    with mock.patch("dgk_tracker.ratelimit._count", unreachable):
        assert ratelimit.hit("storm", limits, now=130.0) == 50
        assert ratelimit.hit("storm", limits, now=179.5) == 1
    assert ratelimit.hit("storm", limits, now=180.0) == 0  # a new window: counted afresh
    assert ratelimit.hit("calm", limits, now=130.0) == 0  # other clients are not affected


def test_requests_answered_from_memory_still_count_towards_the_daily_limit():
    """A bot sending 200 lookups a minute against 30 a minute and 300 a day gets as many through
    as when every request went to the store: 60, then it is blocked for the day."""
    from django.core.cache import cache

    from dgk_tracker import ratelimit

    def allowed_in_15_minutes(remember: bool) -> int:
        cache.clear()
        ratelimit.forget()
        allowed = 0
        for n in range(15 * 200):
            if not remember:
                ratelimit.forget()
            allowed += ratelimit.hit("bot", [(30, 60), (300, 86400)], now=86400 * 100 + n * 0.3) == 0
        return allowed

    assert allowed_in_15_minutes(remember=True) == allowed_in_15_minutes(remember=False) == 60


def test_rate_limit_fails_open_when_redis_is_down(client, caplog):
    from django.core.cache.backends.redis import RedisCache

    nothing_listens = RedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    letter = LetterFactory()
    from appeals import services

    services._generation["value"] = None  # make the lookup ask the (broken) cache
    with (
        mock.patch("dgk_tracker.ratelimit.cache", nothing_listens),
        mock.patch("appeals.services.cache", nothing_listens),
    ):
        response = client.get("/en/track/", {"number": letter.registration_number})
    assert response.status_code == 200
    assert letter.registration_number in response.content.decode()
    assert "rate limit store unavailable" in caplog.text
    assert "public cache unavailable" in caplog.text


def test_database_down_gives_a_translated_503(client):
    with mock.patch("appeals.services.find_public_letter", side_effect=OperationalError("server closed")):
        response = client.get("/az/track/", {"number": "2026-000001-5"})
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    with translation.override("az"):
        assert str(translation.gettext("The service is temporarily unavailable")) in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok"}
    with mock.patch("dgk_tracker.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "429.html", "500.html", "503.html"])
@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_error_pages_exist_in_three_languages(rf, template, language):
    with translation.override(language):
        html = render_to_string(template, {"retry_after": 30, "contacts": {}}, request=rf.get("/"))
    assert f'<html lang="{language}">' in html
    if language != "en":
        with translation.override("en"):
            english = render_to_string(template, {"retry_after": 30, "contacts": {}}, request=rf.get("/"))
        assert html != english, "not translated"


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/az/", {"HTTP_HOST": "evil.example"}, 400),
        ("/az/%00", {}, 404),
        ("/az/../../etc/passwd", {}, 404),
        ("/az/track/?number=%00%00", {}, 400),
        ("/az/", {"HTTP_X_FORWARDED_FOR": "not-an-address, 1.2.3.4"}, 200),
        ("/az/", {"HTTP_ACCEPT_LANGUAGE": "x" * 10_000}, 200),
    ],
)
def test_hostile_requests_get_a_4xx_not_a_500(client, path, headers, status):
    assert client.get(path, **headers).status_code == status


@pytest.mark.parametrize("query", ["status__exact=%00", "channel__exact=a%00b", "q=%00"])
def test_nul_in_admin_filters_is_a_400(admin_client, query):
    assert admin_client.get(f"/admin/appeals/letter/?{query}").status_code == 400


def test_ipv6_clients_share_a_limit_per_64(client, settings):
    settings.LOOKUP_RATE_LIMITS = [(2, 60)]
    codes = [client.get("/en/track/", {"number": "x"}, REMOTE_ADDR=f"2001:db8::{i}").status_code for i in range(3)]
    assert codes == [400, 400, 429]
    assert client.get("/en/track/", {"number": "x"}, REMOTE_ADDR="2001:db8:0:1::1").status_code == 400
