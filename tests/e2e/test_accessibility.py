"""axe-core (WCAG 2.1 A and AA) on the pages people use, in each language; pages work without
JavaScript, at 320 px and at 200 % zoom."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

from appeals import services
from appeals.roles import Role
from appeals.statuses import Status
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db(transaction=True)
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def letter():
    letter = LetterFactory(executor=ExecutorFactory(full_name="Məmmədova Aygün"))
    return services.change_status(letter=letter, to_status=Status.IN_PROGRESS, note="Sənədlər yoxlanılır")


def violations(page, *, rules_passed: int = 10) -> list[str]:
    """axe's violations on the page; that it passed more than ``rules_passed`` rules shows it
    really checked it (a one-page paper has fewer kinds of element to check)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    assert len(results.response["passes"]) > rules_passed, "axe-core did not check the page"
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_public_pages_have_no_axe_violations(page, letter, settings, language):
    typo = letter.registration_number[:-1] + str((int(letter.registration_number[-1]) + 1) % 10)
    paths = (
        "/",
        f"/track/?number={letter.registration_number}",
        f"/track/?number={typo}",
        "/contacts/",
        "/privacy/",
        "/accessibility/",
    )
    for path in paths:
        page.goto(f"/{language}{path}")
        assert page.get_attribute("html", "lang") == language
        assert violations(page) == [], path
    settings.LOOKUP_RATE_LIMITS = [(0, 60)]  # the next lookup gets the 429 page
    assert page.goto(f"/{language}/track/?number={letter.registration_number}").status == 429
    assert page.get_attribute("html", "lang") == language
    assert violations(page) == [], "429"


def test_the_database_down_page_has_no_axe_violations(page, letter):
    with mock.patch("appeals.lookup.find_and_record", side_effect=OperationalError("server closed")):
        for language in ("az", "ru", "en"):
            assert page.goto(f"/{language}/track/?number={letter.registration_number}").status == 503
            assert page.get_attribute("html", "lang") == language
            assert violations(page) == [], language


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_operator_search_has_no_axe_violations(page, letter, make_staff, language):
    make_staff(Role.CALL_CENTRE_OPERATOR, username="operator")
    page.goto(f"/{language}/accounts/login/")
    assert violations(page) == []
    page.fill("#id_username", "operator")
    page.fill("#id_password", "x-password-123")
    page.click("[type=submit]")
    page.goto(f"/{language}/callcentre/?q=eliyeva")
    assert violations(page) == []


def test_axe_does_find_a_violation_when_there_is_one(page, letter):
    """The check above can fail: an image without a text alternative is reported."""
    page.goto("/en/")
    page.evaluate("document.querySelector('main').appendChild(document.createElement('img'))")
    assert any(v.startswith("image-alt") for v in violations(page))


def test_the_lookup_works_without_javascript(browser, live_server, letter):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/en/")
    page.fill("#id_number", letter.registration_number)
    page.click("form.lookup-form button[type=submit]")
    assert page.locator(".status__label").inner_text() == "In progress"
    context.close()


@pytest.mark.parametrize(("width", "scale"), [(320, 1), (640, 2)])  # a phone; 1280 px at 200 % zoom
def test_no_sideways_scrolling_on_narrow_screens_or_at_200_percent(browser, live_server, letter, width, scale):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, device_scale_factor=scale
    )
    page = context.new_page()
    for path in ("/az/", f"/ru/track/?number={letter.registration_number}", "/en/contacts/", "/az/complaints/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    context.close()
