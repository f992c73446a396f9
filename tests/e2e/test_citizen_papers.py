"""In a real browser: an overdue letter, each way a letter ends, the printed page, and the paper
acknowledgement whose QR code, scanned, opens the result in the paper's language. axe checks
every one of these pages in three languages."""

from __future__ import annotations

import io

import pytest

from appeals import services
from appeals.roles import Role
from appeals.statuses import Status
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journeys import sign_in
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def letters():
    """Registered on 2 March 2026 (due 2 April): today, long past it."""
    executor = ExecutorFactory(full_name="Məmmədova Aygün")

    def worked():
        return services.change_status(letter=LetterFactory(executor=executor), to_status=Status.IN_PROGRESS)

    return {
        "overdue": worked(),
        "answered": services.change_status(
            letter=worked(), to_status=Status.ANSWERED, answer_channel="post", outgoing_number="GK-04/1187"
        ),
        "forwarded": services.change_status(
            letter=worked(), to_status=Status.FORWARDED, forwarded_to="Azərbaycan Respublikasının Dövlət Vergi Xidməti"
        ),
        "left": services.change_status(letter=worked(), to_status=Status.LEFT_WITHOUT_CONSIDERATION, ground="form"),
    }


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_overdue_and_every_ending_read_plainly_and_pass_axe(page, letters, language):
    page.goto(f"/{language}/track/?number={letters['overdue'].registration_number}")
    alarm = page.locator("section.overdue")
    assert alarm.is_visible()
    assert alarm.locator("a[href^='tel:']").count() >= 2  # the executor and the Call Centre at least
    assert violations(page) == [], "overdue"
    for ending in ("answered", "forwarded", "left"):
        page.goto(f"/{language}/track/?number={letters[ending].registration_number}")
        assert page.locator("section.ending").is_visible(), ending
        assert page.locator("section.overdue").count() == 0
        assert page.locator(".status__next").is_visible()
        assert violations(page) == [], ending
    assert "GK-04/1187" not in page.content()  # the last page was the letter left without consideration


def test_the_printed_page_is_the_statement_alone_with_its_time_and_address(page, letters):
    number = letters["answered"].registration_number
    page.goto(f"/en/track/?number={number}")
    assert page.locator(".site-nav").is_visible() and page.locator("form.lookup-form").is_visible()
    page.emulate_media(media="print")
    for hidden in (".site-nav", "form.lookup-form", ".site-footer", ".lang-switcher"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator(".as-of").is_visible()
    assert f"/en/track/?number={number}" in page.locator(".as-of .print-only").inner_text()
    assert page.locator("section.ending").is_visible() and "GK-04/1187" in page.locator("section.ending").inner_text()
    assert len(page.pdf()) > 1000  # Chromium lays the printed page out


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_scanning_the_acknowledgement_opens_the_result_in_its_language(
    page, live_server, letters, make_staff, settings, language
):
    import zxingcpp
    from PIL import Image

    letter = letters["overdue"]
    make_staff(Role.REGISTRY_CLERK, username="clerk")
    settings.PUBLIC_BASE_URL = live_server.url  # the paper points at this server
    sign_in(page, "clerk")
    page.goto(f"/admin/appeals/letter/{letter.pk}/acknowledgement/?lang={language}")
    assert page.get_attribute("html", "lang") == language
    assert letter.registration_number in page.locator("h1 ~ dl").inner_text()
    assert violations(page, rules_passed=5) == []
    image = Image.open(io.BytesIO(page.locator("figure.paper__qr svg").screenshot()))
    (scanned,) = zxingcpp.read_barcodes(image)
    assert scanned.text == f"{settings.PUBLIC_BASE_URL}/{language}/track/?number={letter.registration_number}"
    page.goto(scanned.text)
    assert page.get_attribute("html", "lang") == language
    assert letter.registration_number in page.locator("h1").inner_text()
    assert page.locator("section.overdue").is_visible()
