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
        "SMS_URL": "https://sms-gateway.example.az/send",
        "TRUSTED_PROXY_COUNT": "1",
        "PUBLIC_BASE_URL": "https://tracker.customs.gov.az",
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


def production_essentials(**extra: str) -> dict:
    """The least environment production settings start with, plus ``extra``."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "dgk_tracker.settings.production",
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "tracker.customs.gov.az",
        "DATABASE_URL": "sqlite:////tmp/x.sqlite3",
        "EMAIL_URL": "smtp://mail:25",
        "SMS_URL": "https://sms-gateway.example.az/send",
        "TRUSTED_PROXY_COUNT": "0",
        "PUBLIC_BASE_URL": "https://tracker.customs.gov.az",
        **extra,
    }


def production_setting(expression: str, **extra: str) -> str:
    """What ``settings.<expression>`` is under the production settings with this environment."""
    code = f"from django.conf import settings as s; print({expression})"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=production_essentials(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "EMAIL_URL",
        "SMS_URL",
        "TRUSTED_PROXY_COUNT",
        "PUBLIC_BASE_URL",
    ],
)
def test_production_settings_refuse_to_start_without_their_essentials(missing):
    env = production_essentials()
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


def test_a_flood_of_refused_lookups_adds_one_log_row_per_window(client, settings):
    settings.LOOKUP_RATE_LIMITS = [(2, 60), (1000, 86400)]
    codes = [client.get("/en/track/", {"number": "x"}).status_code for _ in range(50)]
    assert codes == [400, 400] + [429] * 48
    assert LookupLog.objects.filter(outcome=LookupOutcome.RATE_LIMITED).count() == 1
    assert LookupLog.objects.count() == 3


def test_unauthenticated_api_calls_are_limited_by_address_and_logged_within_bounds(client, settings):
    settings.LOOKUP_RATE_LIMITS = [(5, 60), (1000, 86400)]
    codes = [client.get("/api/v1/letters/2026-000001-5").status_code for _ in range(150)]
    assert codes == [401] * 5 + [429] * 145
    assert LookupLog.objects.filter(outcome=LookupOutcome.UNAUTHORIZED).count() == 5
    assert LookupLog.objects.filter(outcome=LookupOutcome.RATE_LIMITED).count() == 1


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


def test_a_bot_sending_200_a_minute_gets_60_lookups_through_in_15_minutes():
    """Against 30 a minute and 300 a day, every request counts, refused ones too: two minutes'
    allowance, then it is blocked for the day."""
    from web import ratelimit

    start = 86400 * 100
    allowed = sum(not ratelimit.check("bot", [(30, 60), (300, 86400)], now=start + n * 0.3) for n in range(15 * 200))
    assert allowed == 60


def test_with_redis_down_lookups_are_answered_and_limited_in_this_process(client, settings, caplog):
    settings.LOOKUP_RATE_LIMITS = [(2, 60)]
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    letter = LetterFactory()
    responses = [client.get("/en/track/", {"number": letter.registration_number}) for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 429]
    assert letter.registration_number in responses[0].content.decode()
    assert "rate limit store unavailable; counting per process" in caplog.text
    assert LookupLog.objects.count() == 3


@pytest.mark.parametrize(
    ("forwarded", "seen"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("203.0.113.9:41234", "203.0.113.9"),
        ("[2001:db8::9]", "2001:db8::9"),
        ("[2001:db8::9]:443", "2001:db8::9"),
        ("2001:DB8:0::9", "2001:db8::9"),
        ("unknown", "198.51.100.1"),
        ("203.0.113.9:80:80", "198.51.100.1"),
    ],
)
def test_forwarded_addresses_are_parsed_as_addresses_or_ignored(rf, settings, forwarded, seen):
    from web.http import client_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR=f"10.0.0.1, {forwarded}", REMOTE_ADDR="198.51.100.1")
    assert client_address(request) == seen


def test_one_client_behind_a_proxy_writing_ports_has_one_limit(client, settings):
    settings.LOOKUP_RATE_LIMITS = [(2, 60)]
    settings.TRUSTED_PROXY_COUNT = 1
    codes = [
        client.get("/en/track/", {"number": "x"}, HTTP_X_FORWARDED_FOR=f"203.0.113.9:{port}").status_code
        for port in (5000, 5001, 5002)
    ]
    assert codes == [400, 400, 429]


def test_database_down_gives_a_translated_503(client):
    with mock.patch("appeals.lookup.find_and_record", side_effect=OperationalError("server closed")):
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
    with mock.patch("web.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.parametrize(
    "template", ["400.html", "403.html", "404.html", "413.html", "429.html", "500.html", "503.html"]
)
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


def test_every_variable_the_examples_set_is_read_by_the_settings():
    """compose.yaml and .env.example set DJANGO_CSRF_TRUSTED_ORIGINS and DJANGO_SECURE_COOKIES:
    production reads them."""
    seen = production_setting(
        "s.CSRF_TRUSTED_ORIGINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://tracker.customs.gov.az",
        DJANGO_SECURE_COOKIES="false",
    )
    assert seen == "['https://tracker.customs.gov.az'] False False"


@pytest.mark.parametrize(
    "path",
    [
        "/az/callcentre/",
        "/az/callcentre/?q=memmedov",
        "/az/reports/",
        "/az/reports/export/departments.csv",
        "/az/reports/export/departments.xlsx",
    ],
)
def test_pages_with_applicant_data_or_figures_are_never_stored(client, world, path):
    client.force_login(world["users"]["supervisor"])
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_call_centre_letter_page_is_never_stored(client, world):
    client.force_login(world["users"]["operator"])
    response = client.get(f"/az/callcentre/letters/{world['own'].registration_number}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("path", ["/api/v1/letters/2026-000001-5", "/api/v1/openapi.json", "/api/v1/nothing"])
def test_writes_to_the_api_get_a_json_answer_not_the_csrf_page(method, path):
    from django.test import Client

    from appeals.models import ApiClient

    api_client = ApiClient(name="portal", rate_limit_per_minute=100)
    token = api_client.issue_token()
    api_client.save()
    response = getattr(Client(enforce_csrf_checks=True), method)(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (404, 405)
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] in ("method_not_allowed", "not_found")


@pytest.mark.parametrize("path", ["//evil.example/x", "///evil.example/x", "//evil.example/az/"])
def test_the_404_pages_language_links_stay_on_this_site(client, path):
    import re
    from urllib.parse import urlsplit

    response = client.get("/placeholder", PATH_INFO=path)  # as a server passes it; the client would parse it
    assert response.status_code == 404
    links = re.findall(r'href="([^"]*)"', response.content.decode())
    assert links and not [link for link in links if "evil" in urlsplit(link).netloc]


@pytest.mark.parametrize(("proxies", "believed"), [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_forwarded_proto_is_believed_only_behind_a_trusted_proxy(proxies, believed):
    assert production_setting("s.SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT=proxies) == believed


def test_a_huge_body_is_refused_before_anything_reads_it(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    big = {"username": "x", "password": "y" * 5000}
    response = client.post("/az/accounts/login/", big, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 413
    with translation.override("az"):
        assert translation.gettext("The request is too large") in response.content.decode()
    assert client.post("/az/accounts/login/", {"username": "x", "password": "y"}).status_code == 200


def test_the_registry_upload_may_send_more_than_a_form(admin_client, settings, tmp_path):
    settings.MAX_REQUEST_BYTES = 1000
    settings.IMPORT_ADMIN_MAX_BYTES = 4000
    upload = tmp_path / "export.csv"
    upload.write_text("received_on,kind\n" + "2026-01-01,letter\n" * 200)  # 3.6 KB: over a form's limit
    with upload.open("rb") as handle:
        response = admin_client.post("/admin/appeals/letter/import/", {"file": handle, "dry_run": "on"})
    assert response.status_code == 302  # accepted: on to the import's progress page


def test_an_operator_cannot_page_through_everybody(client, world, settings):
    settings.CALLCENTRE_SEARCH_LIMITS = [(3, 60)]
    client.force_login(world["users"]["operator"])
    codes = [client.get("/az/callcentre/", {"q": "eliyeva", "page": page}).status_code for page in (1, 2, 3, 4)]
    assert codes == [200, 200, 200, 429]


def test_a_new_api_token_never_travels_in_a_cookie(admin_client):
    response = admin_client.post(
        "/admin/appeals/apiclient/add/", {"name": "e-gov", "is_active": "on", "rate_limit_per_minute": "60"}
    )
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = admin_client.get(response["Location"]).content.decode()
    with translation.override("az"):  # the admin's language here
        shown = translation.gettext(
            "The token of %(name)s is %(token)s — copy it now: it is not stored and will not be shown again."
        )
    assert shown.split("%(token)s")[1][:20] in page  # the message with the token, read from the session


def test_production_asks_every_staff_member_for_a_second_factor():
    assert production_setting("s.STAFF_SECOND_FACTOR") == "True"


def test_the_status_form_keeps_the_staff_reason_internal_and_the_public_wording_from_a_list(admin_client, world):
    """What a citizen reads of an ending is chosen from a list; the free-text reason is staff's."""
    from appeals.forms import StatusChangeForm

    form = StatusChangeForm(letter=world["own"])
    with translation.override("en"):
        assert str(form.fields["reason"].help_text) == "Never shown to the public."
        assert "The citizen reads this wording." in str(form.fields["ground"].help_text)
    page = admin_client.get(f"/admin/appeals/letter/{world['own'].pk}/status/").content.decode()
    with translation.override("az"):
        assert str(form.fields["reason"].help_text)[:20] in page
