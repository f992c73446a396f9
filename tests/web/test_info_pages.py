"""What a citizen sees on the information pages (contacts, how it works, privacy, accessibility)
and on the 429 and 503 pages, which are drawn in the site's layout like every other page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from appeals import services
from appeals.statuses import Status
from tests.factories import ExecutorFactory, LetterFactory
from tests.ops.test_hardening import production_setting
from web.middleware import service_unavailable

pytestmark = pytest.mark.django_db

LANGUAGES = ["az", "ru", "en"]
ADDRESS = {
    "az": "Bakı şəhəri, AZ1029, Heydər Əliyev prospekti, 93",
    "ru": "г. Баку, AZ1029, проспект Гейдара Алиева, 93",
    "en": "93 Heydar Aliyev Avenue, Baku AZ1029",
}
HOURS = {"az": "Bazar ertəsi – cümə", "ru": "Понедельник – пятница", "en": "Monday to Friday"}
SERVICE_PAGE = 'href="https://www.customs.gov.az/az/e-services"'


def in_the_layout(html: str, language: str) -> None:
    """The header with the service's name and the main menu, the Call Centre to call, the footer."""
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html and 'class="skip-link"' in html
    with translation.override(language):
        assert str(translation.gettext("Track your letter or request")) in html
        assert 'aria-label="{}"'.format(translation.gettext("Main menu")) in html
    for page in ("how-it-works/", "complaints/", "contacts/"):
        assert f'href="/{language}/{page}"' in html
    assert 'href="tel:1956"' in html and "195(6)" in html
    assert '<footer class="site-footer">' in html and "office@customs.gov.az" in html
    assert "<script" not in html and "style=" not in html


# The 429 page


@pytest.mark.parametrize("language", LANGUAGES)
def test_too_many_lookups_page_is_in_the_layout_with_the_call_centre(client, settings, language):
    settings.LOOKUP_RATE_LIMITS = [(0, 60)]
    response = client.get(f"/{language}/track/", {"number": "2026-000001-5"})
    assert response.status_code == 429
    html = response.content.decode()
    in_the_layout(html, language)
    with translation.override(language):
        assert f"<h1>{translation.gettext('Too many lookups')}</h1>" in html


def test_too_many_lookups_page_says_how_long_to_wait(client, settings):
    settings.LOOKUP_RATE_LIMITS = [(0, 60)]
    response = client.get("/en/track/", {"number": "2026-000001-5"})
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    unit = "second" if wait == 1 else "seconds"
    assert f"Please wait {wait} {unit} and try again." in response.content.decode()


# The 503 page


@pytest.mark.parametrize("language", LANGUAGES)
def test_database_down_page_is_in_the_layout_with_the_call_centre(client, language):
    with mock.patch("appeals.lookup.find_and_record", side_effect=OperationalError("server closed")):
        response = client.get(f"/{language}/track/", {"number": "2026-000001-5"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    in_the_layout(html, language)
    with translation.override(language):
        assert str(translation.gettext("The service is temporarily unavailable")) in html
    other = "en" if language != "en" else "az"
    assert f'href="/{other}/track/?number=2026-000001-5"' in html  # the language switcher still works


class Untouchable:
    """A session the 503 page must not read: with the database down, it could not be loaded."""

    def __getattr__(self, name):
        raise AssertionError(f"the 503 page read the session ({name})")

    def __contains__(self, key):
        raise AssertionError("the 503 page read the session")


def test_database_down_page_is_drawn_without_any_database_access(django_db_blocker, django_assert_num_queries):
    """Not one query, and neither the signed-in user nor the session is looked at: a staff member
    whose session lives in the database gets the same page."""
    request = RequestFactory().get("/ru/track/", {"number": "2026-000001-5"})
    request.session = Untouchable()
    request.user = SimpleLazyObject(lambda: pytest.fail("the 503 page read the user"))
    with translation.override("ru"):
        request.resolver_match = resolve("/ru/track/")
        with django_assert_num_queries(0), django_db_blocker.block():
            response = service_unavailable(request)
    assert response.status_code == 503
    html = response.content.decode()
    in_the_layout(html, "ru")
    assert 'href="/en/track/?number=2026-000001-5"' in html


def test_database_down_page_without_a_request_still_renders():
    with translation.override("en"):
        response = service_unavailable()
    assert response.status_code == 503
    assert 'href="tel:1956"' in response.content.decode()


# Contacts and how it works


@pytest.mark.parametrize("language", LANGUAGES)
def test_contacts_show_the_address_and_the_opening_hours_in_the_page_language(client, language):
    html = client.get(f"/{language}/contacts/").content.decode()
    assert ADDRESS[language] in html
    assert HOURS[language] in html
    assert "09:00–18:00" in html and "13:00–14:00" in html
    for other in set(LANGUAGES) - {language}:
        assert ADDRESS[other] not in html
        assert HOURS[other] not in html
    assert SERVICE_PAGE in html


def test_an_address_missing_in_one_language_falls_back_to_azerbaijani(client, settings):
    settings.COMMITTEE_CONTACTS = {**settings.COMMITTEE_CONTACTS, "address": {"az": "Bakı, Test küçəsi 1"}}
    assert "Bakı, Test küçəsi 1" in client.get("/en/contacts/").content.decode()


def test_the_address_hours_and_service_page_come_from_the_environment():
    seen = production_setting(
        "s.COMMITTEE_CONTACTS['address']['en'], s.COMMITTEE_CONTACTS['opening_hours']['ru'], "
        "s.COMMITTEE_SERVICE_PAGE_URL",
        COMMITTEE_ADDRESS_EN="1 Test Street",
        COMMITTEE_OPENING_HOURS_RU="Круглосуточно",
        COMMITTEE_SERVICE_PAGE_URL="https://example.az/e",
    )
    assert seen == "1 Test Street Круглосуточно https://example.az/e"


@pytest.mark.parametrize("language", LANGUAGES)
def test_how_it_works_gives_the_legal_basis_and_the_committees_e_services(client, language):
    html = client.get(f"/{language}/how-it-works/").content.decode()
    assert 'id="legal-basis"' in html
    for reference in ("37", "52", "429", "191", "22.11", "2011"):
        assert reference in html
    assert SERVICE_PAGE in html


def test_how_it_works_names_the_acts_of_clause_1_3(client):
    html = client.get("/en/how-it-works/").content.decode()
    assert "articles 37 and 52 of the Customs Code of the Republic of Azerbaijan" in html
    assert "Decree No. 429 of the President of the Republic of Azerbaijan of 23 May 2011" in html
    assert "Decision No. 191 of the Cabinet of Ministers of the Republic of Azerbaijan of 24 November 2011" in html
    assert "item 22.11" in html


# Privacy and accessibility


@pytest.mark.parametrize("page", ["privacy/", "accessibility/"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_and_accessibility_pages_answer_in_every_language(client, page, language):
    response = client.get(f"/{language}/{page}")
    assert response.status_code == 200
    html = response.content.decode()
    in_the_layout(html, language)
    assert html.count("<h1>") == 1
    assert 'aria-current="page"' in html  # its footer link says it is this page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", ["", "how-it-works/", "complaints/", "contacts/", "privacy/", "accessibility/"])
def test_the_footer_links_to_the_privacy_notice_and_the_accessibility_statement(client, page, language):
    html = client.get(f"/{language}/{page}").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="/{language}/privacy/"' in footer
    assert f'href="/{language}/accessibility/"' in footer


def test_privacy_notice_says_what_is_recorded_and_what_is_not(client):
    html = client.get("/en/privacy/").content.decode()
    for recorded in ("the number you typed", "the outcome", "the date and time", "the channel", "keyed hash"):
        assert recorded in html
    assert "Your address itself is never recorded." in html
    assert "3.5.1" in html
    assert "The pages for citizens set no cookies." in html
    assert 'href="mailto:office@customs.gov.az"' in html and 'href="/en/contacts/"' in html


@pytest.mark.parametrize(
    "path", ["/az/", "/ru/track/?number=2026-000001-5", "/en/how-it-works/", "/az/privacy/", "/ru/accessibility/"]
)
def test_the_public_pages_set_no_cookies_as_the_privacy_notice_says(client, path):
    LetterFactory()
    assert not client.get(path).cookies


def test_accessibility_statement_gives_the_target_the_checks_and_how_to_report(client):
    html = client.get("/en/accessibility/").content.decode()
    for promise in ("WCAG", "2.1", "level AA", "without JavaScript", "axe", "keyboard", "main content"):
        assert promise in html
    assert 'href="tel:1956"' in html and 'href="/en/contacts/"' in html


# Azerbaijani text on the other languages' pages


@pytest.fixture
def letter_with_a_note():
    letter = LetterFactory(executor=ExecutorFactory())
    return services.change_status(letter=letter, to_status=Status.IN_PROGRESS, note="Sənədlər yoxlanılır.")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_staff_note_is_marked_as_azerbaijani_on_the_other_languages_pages(client, letter_with_a_note, language):
    html = client.get(f"/{language}/track/", {"number": letter_with_a_note.registration_number}).content.decode()
    assert '<p class="timeline__note" lang="az">Sənədlər yoxlanılır.</p>' in html


def test_a_staff_note_needs_no_mark_on_the_azerbaijani_page(client, letter_with_a_note):
    html = client.get("/az/track/", {"number": letter_with_a_note.registration_number}).content.decode()
    assert '<p class="timeline__note">Sənədlər yoxlanılır.</p>' in html


def test_the_429_page_is_drawn_once_per_language_page_and_wait_and_carries_nothing_of_the_request(client, settings):
    """A bot storm is answered from a page drawn once per process; it holds nothing the
    request brought (not the number typed: the language links point at the bare page)."""
    from unittest import mock

    from django.test import RequestFactory
    from django.utils import translation

    from web import http

    http._refusal_page.cache_clear()
    with mock.patch("web.http.render_to_string", wraps=http.render_to_string) as drawn, translation.override("ru"):
        for number in ("2026-000001-4", "2026-000002-2"):
            response = http.too_many_requests(RequestFactory().get("/ru/track/", {"number": number}), 42)
            assert (response.status_code, response["Retry-After"]) == (429, "42")
    assert drawn.call_count == 1
    settings.LOOKUP_RATE_LIMITS = [(0, 60)]
    html = client.get("/ru/track/", {"number": "2026-000002-2"}).content.decode()
    assert "2026-000002-2" not in html
    assert 'href="/az/track/"' in html and '<html lang="ru">' in html and 'href="tel:1956"' in html
