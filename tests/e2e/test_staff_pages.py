"""The staff's pages at a desk (1280 px) and on a phone (360 px): no sideways scroll, tables
that reflow, and axe at zero violations in three languages."""

from __future__ import annotations

import pytest

from appeals import services
from appeals.roles import Role
from appeals.statuses import Status
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journeys import sign_in
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = (1280, 360)


@pytest.fixture
def letter():
    executor = ExecutorFactory(full_name="Məmmədova Aygün")
    letter = services.change_status(letter=LetterFactory(executor=executor), to_status=Status.IN_PROGRESS)
    return services.extend_due_date(letter=letter, working_days=3, reason="Ekspertiza", ground="other_body")


def scrolls_sideways(page) -> bool:
    """The page, or at a desk any results table inside it, is wider than the window."""
    return page.evaluate(
        """() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1
        || (window.innerWidth >= 1000 && [...document.querySelectorAll('.table-wrap')]
            .some(wrap => wrap.scrollWidth > wrap.clientWidth + 1))"""
    )


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_call_centre_pages_fit_and_pass_axe(page, letter, make_staff, language):
    make_staff(Role.CALL_CENTRE_OPERATOR, username="operator")
    sign_in(page, "operator", f"/{language}/accounts/login/")
    for path in (f"/{language}/callcentre/?q=eliyeva", f"/{language}/callcentre/letters/{letter.registration_number}/"):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            assert not scrolls_sideways(page), (path, width)
        assert violations(page) == [], path


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_admin_letter_pages_fit_and_pass_axe(page, letter, make_staff, language):
    make_staff(Role.SUPERVISOR, username="supervisor")
    sign_in(page, "supervisor")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    for path in (
        "/admin/appeals/letter/",
        f"/admin/appeals/letter/{letter.pk}/change/",
        f"/admin/appeals/letter/{letter.pk}/history/",
        f"/admin/appeals/historicalletter/?q={letter.registration_number}",
    ):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            assert page.get_attribute("html", "lang") == language
            assert not scrolls_sideways(page), (path, width)
        assert violations(page) == [], path
