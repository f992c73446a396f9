"""Staff work in Azerbaijani or Russian: no admin page shows English in either. Every admin page a
superuser can open (tests/admin/test_capitals.py lists them), with records in every table, is
rendered in az and in ru; what the eye reads (text, tooltips, placeholders, buttons) is checked
word by word. The header shows the Committee's official name, the language picker each language
in its own name."""

from __future__ import annotations

import contextlib
import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from appeals import services
from appeals.models import (
    ApiClient,
    CalendarDay,
    CalendarYear,
    Department,
    Executor,
    Letter,
    LookupLog,
    Notification,
)
from callcentre.models import OperatorAccess
from tests.admin.catalogues import translations
from tests.admin.test_capitals import admin_pages

pytestmark = pytest.mark.django_db

PASSWORD = "x-password-123"  # tests/conftest.py's make_staff
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
OFFICIAL_NAME = {
    "az": "Dövlət Gömrük Komitəsi — Müraciətlərin icrasının izlənməsi",
    "ru": "Государственный таможенный комитет — отслеживание исполнения обращений",
}
# A word: letters, with the apostrophes and hyphens inside it ("user's", "e-poçt", "IP-адрес").
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
ASCII_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")

# The allowlist: what may stay in Latin letters on an az or ru page, and why.
ALLOWED = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses: data
    re.compile(r"\b[a-z][a-z0-9+.-]*://\S+"),  # addresses (http://, otpauth://): data
    re.compile(r"(?<![\w/])/(?:[\w.-]+/)+[\w.?=&%-]*"),  # paths such as /admin/login/ in the sign-in records: data
    # Codes and abbreviations read as they are: the API channel, the kinds of one-time
    # passwords, an IP address, the QR code, the HTTP methods in django-axes' records, the
    # Committee's abbreviation in the authenticator app.
    re.compile(r"\b(?:API|TOTP|HOTP|OTP|IP|QR|GET|POST|DGK|t0)\b"),
    re.compile(r"\w*\*{6,}"),  # secrets shown starred: a password's hash, passwords in sign-in records
    re.compile(r"<unknown>"),  # what django-axes records for a header the browser did not send
]


def data_in_the_database() -> set[str]:
    """What the records hold, shown as it was entered: account names, the departments' codes
    and names (each language's column, English included), executors' names and positions,
    the letters' particulars, holidays and the calendar's source, devices and API clients'
    names and the start of their tokens, the lookup log's keyed hashes, and what django-axes
    records of a sign-in (the form sent, the browser's User-Agent and Accept headers)."""
    values = set(get_user_model().objects.values_list("username", flat=True))
    for department in Department.objects.all():
        values |= {department.code, department.name_az, department.name_ru, department.name_en}
    for executor in Executor.objects.all():
        values |= {executor.full_name, executor.position_az, executor.position_ru, executor.position_en}
    for letter in Letter.objects.all():
        values |= {letter.subject, letter.applicant_name, letter.forwarded_to, letter.extension_reason}
    values |= set(CalendarDay.objects.values_list("name", flat=True))
    values |= set(CalendarYear.objects.values_list("source", flat=True))
    values |= set(TOTPDevice.objects.values_list("name", flat=True))
    values |= set(StaticDevice.objects.values_list("name", flat=True))
    values |= {value for client in ApiClient.objects.all() for value in (client.name, client.token_prefix)}
    values |= set(LookupLog.objects.values_list("client_hash", flat=True))
    for subject, body in Notification.objects.values_list("subject", "body"):  # as sent, in the applicant's language
        values |= {subject, *body.splitlines()}
    for attempt in AccessAttempt.objects.all():
        values |= set(attempt.get_data.splitlines()) | set(attempt.post_data.splitlines())
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        values |= set(model.objects.values_list("http_accept", flat=True))
    values.add(BROWSER)
    return {value for value in values if value}


@functools.cache
def catalogue_words(language: str) -> frozenset[str]:
    """The words, in Latin letters, of the language's translations: ours and Django's. Many
    Azerbaijani words need no letter English lacks (Sil, Bax, Tarix, Axtar): they are known by
    being in the catalogues. In Russian these are the few Latin words the translations keep."""
    paths = list((Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES").glob("*.po"))
    paths += (Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES").glob("*.po")
    for app in apps.get_app_configs():  # Django's applications that the portal uses
        if app.name.startswith("django.contrib."):
            paths += (Path(app.path) / "locale" / language / "LC_MESSAGES").glob("*.po")
    words = set()
    for path in paths:
        for text in translations(path):
            text = NOT_WORDS.sub(" ", text)
            words |= {word.lower() for word in WORD.findall(text) if ASCII_WORD.fullmatch(word)}
    return frozenset(words)


# In a translation, what is not a word of the language: placeholders, HTML, and identifiers
# (field names such as due_date, addresses such as www.customs.gov.az).
NOT_WORDS = re.compile(r"%\([^)]*\)[sdr]|\{[^}]*\}|<[^>]*>|\S*[_.@/]\S*[\w]")


class VisibleText(HTMLParser):
    """The lines of text a page shows: text outside scripts and styles, tooltips, placeholders,
    labels read aloud, and the words on input buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.lines: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        attributes = dict(attrs)
        self.lines += [attributes[name] for name in ("title", "placeholder", "aria-label") if attributes.get(name)]
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
            self.lines.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.lines += data.splitlines()


def english_on(html: str, known: set[str], data: set[str]) -> list[str]:
    """The lines of ``html`` with a word in Latin letters that is neither allowed nor a word of
    the page's language. The language's own words (with ə, ı, ş… or in Cyrillic) pass."""
    parser = VisibleText()
    parser.feed(html)
    found = []
    for raw in parser.lines:
        line = " ".join(raw.split())
        if line in data or line in LANGUAGE_NAMES:
            continue
        rest = line
        for pattern in ALLOWED:
            rest = pattern.sub(" ", rest)
        for value in sorted(data, key=len, reverse=True):
            rest = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", rest)
        if len(re.findall(r"[A-Za-z]", rest)) < 3:
            continue
        words = [word for word in WORD.findall(rest) if ASCII_WORD.fullmatch(word)]
        if any(word.lower() not in known for word in words):
            found.append(line)
    return found


# The language picker names each language in its own name; "English" is one of them.
LANGUAGE_NAMES = {name for _code, name in settings.LANGUAGES}


@pytest.fixture
def records(client, world):
    """A record in every table the admin lists, made the way the portal makes them."""
    services.extend_due_date(
        letter=world["own"], working_days=3, reason="Digər orqandan məlumat gözlənilir", ground="other_body"
    )
    client.get(f"/az/track/?number={world['own'].registration_number}")  # the lookup log
    # django-axes: failed sign-ins (one account locked out) and a successful one.
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "executor", "password": "wrong"}, HTTP_USER_AGENT=BROWSER)
    client.post("/admin/login/", {"username": "supervisor", "password": "wrong"}, HTTP_USER_AGENT=BROWSER)
    client.post("/admin/login/", {"username": "root", "password": PASSWORD}, HTTP_USER_AGENT=BROWSER)
    assert AccessAttempt.objects.count() == 2 and AccessLog.objects.filter(username="root").exists()
    # The failure log is off by default (AXES_ENABLE_ACCESS_FAILURE_LOG): a record as it would write.
    AccessFailureLog.objects.create(
        username="executor",
        ip_address="127.0.0.1",
        user_agent=BROWSER,
        http_accept="text/html",
        path_info="/admin/login/",
        locked_out=True,
    )
    root = world["users"]["admin"]
    TOTPDevice.objects.create(user=root, name="Telefon", confirmed=True)
    StaticDevice.objects.create(user=root, name="Kağız").token_set.create(token="k7p2m9x4")
    client_ = ApiClient(name="Elektron hökumət portalı")
    client_.issue_token()
    client_.save()
    Notification.objects.create(
        letter=world["own"], kind="acknowledgement", recipient="leyla.aliyeva@example.az", language="az"
    )
    OperatorAccess.objects.create(user=world["users"]["operator"], action="search", query="Əliyeva")
    return world


def pages(world) -> list[str]:
    """Every admin page (test_capitals), each object's history and deletion pages, searches and
    filters that find nothing, and django-otp's page with the QR code."""
    from django.contrib import admin

    result = admin_pages(world)
    for model in admin.site._registry:
        meta = model._meta
        first = model._default_manager.order_by("pk").first()
        if first is None:
            continue
        for view in ("history", "delete"):
            with contextlib.suppress(NoReverseMatch):
                result.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[first.pk]))
        with contextlib.suppress(NoReverseMatch):
            result.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + "?q=zzzz")
    result.append(f"/admin/auth/user/{world['users']['admin'].pk}/password/")
    result.append(f"/admin/axes/accesslog/?attempt_time__year={timezone.now().year}")
    result.append(f"/admin/otp_totp/totpdevice/{TOTPDevice.objects.get().pk}/config/")
    return result


@pytest.mark.parametrize("language", ["az", "ru"])
def test_no_admin_page_shows_english(client, records, language):
    client.force_login(records["users"]["admin"], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    known, data = catalogue_words(language), data_in_the_database()
    english, rendered = {}, 0
    for path in pages(records):
        response = client.get(path)
        if response.status_code in (403, 405):  # read-only records have no add or delete page
            continue
        assert response.status_code == 200, path
        rendered += 1
        found = english_on(response.content.decode(), known, data)
        if found:
            english[path] = found
    # Forms sent with errors, and what a signed-out or locked-out member of staff sees.
    for path in ("/admin/auth/group/add/", "/admin/appeals/department/add/"):
        english[f"POST {path}"] = english_on(client.post(path, {}).content.decode(), known, data)
    english["POST /admin/logout/"] = english_on(client.post("/admin/logout/").content.decode(), known, data)
    english["/admin/login/"] = english_on(client.get("/admin/login/").content.decode(), known, data)
    locked = client.post("/admin/login/", {"username": "executor", "password": "wrong"})
    english["locked out"] = english_on(locked.content.decode(), known, data)
    assert rendered > 90
    offending = [f"{path}: {line}" for path, lines in english.items() for line in lines]
    assert not offending, "English on the pages:\n" + "\n".join(offending)


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_date_widgets_speak_the_language(client, records, language):
    """The calendar and clock of date fields take their words from the admin's script catalogue."""
    client.force_login(records["users"]["admin"], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    catalogue = client.get("/admin/jsi18n/").content.decode()
    for msgid in ("Today (%(date)s)", "Next (%(month)s %(year)s)", "%s (today)", "Choose a Date", "Now"):
        assert f'"{msgid}": "' in catalogue, msgid
    note = "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)"
    assert f'"{note}": [' in catalogue  # a plural: one form per number


def test_the_clean_up_message_is_translated(client, records):
    client.force_login(records["users"]["admin"], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "ru"
    attempt = AccessAttempt.objects.first()
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "_selected_action": [attempt.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "0 устаревших попыток входа удалено." in html  # none has expired yet
    assert "Cleaned up" not in html


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_header_shows_the_official_name_and_each_language_in_its_own_name(client, world, language):
    client.force_login(world["users"]["admin"], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    html = client.get("/admin/").content.decode()
    assert f'<div id="site-name"><a href="/admin/">{OFFICIAL_NAME[language]}</a></div>' in html
    assert f"<title>{OFFICIAL_NAME[language]}" in html or f"| {OFFICIAL_NAME[language]}</title>" in html
    options = re.findall(r'<option value="(\w+)" lang="\w+"(?: selected)?>([^<]+)</option>', html)
    assert options == [("az", "Azərbaycanca"), ("ru", "Русский"), ("en", "English")]
    assert "DGK Tracker" not in html


def test_permissions_read_in_the_page_language(client, world):
    client.force_login(world["users"]["admin"], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "ru"
    html = client.get("/admin/auth/group/add/").content.decode()
    assert "Входы в систему | счётчик неудачных входов | Может добавлять" in html
    assert "Обращения | письмо | Может регистрировать письма" in html
    assert "Can add" not in html
    client.cookies["django_language"] = "az"
    html = client.get("/admin/auth/group/").content.decode()
    assert "Qeydiyyat əməkdaşı" in html and "Registry clerk" not in html


def test_citizens_mail_comes_from_the_committee():
    assert settings.DEFAULT_FROM_EMAIL == "Dövlət Gömrük Komitəsi <noreply@customs.gov.az>"


def test_the_check_can_fail():
    known = catalogue_words("az")
    html = "<p>Yadda saxla</p><p>Tarix</p><p>Is this device ready for use?</p><p>Axtar: root@example.az</p>"
    assert english_on(html, known, set()) == ["Is this device ready for use?"]
    assert english_on("<p>Search by user's istifadəçi adı</p>", known, set()) == ["Search by user's istifadəçi adı"]
