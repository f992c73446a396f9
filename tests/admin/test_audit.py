"""The audit as a supervisor reads it: names and labels instead of ids and codes, in the staff
member's language, one history per letter with one entry per change."""

from __future__ import annotations

import pytest

from appeals import services
from appeals.statuses import Status
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(world):
    """Registered with an executor (two saves), started, extended: four changes, four events."""
    letter = LetterFactory(executor=world["executor"])
    letter = services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    return services.extend_due_date(letter=letter, working_days=5, reason="Ekspertiza", ground="other_body")


def signed_in(client, user, language: str):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    return client


def test_the_letters_history_has_one_entry_per_change_in_words(client, world, worked):
    html = (
        signed_in(client, world["users"]["supervisor"], "en")
        .get(f"/admin/appeals/letter/{worked.pk}/history/")
        .content.decode()
    )
    assert worked.events.count() == 4
    assert "4 saved versions" in html
    table = html[html.index('id="change-history"') : html.index("</table>", html.index('id="change-history"'))]
    assert table.count("<tr>") == 1 + 4  # the header row and one row per version
    assert "Executor: — → Həsənov Rəşad" in html
    assert "Status: Assigned to an executor → In progress" in html
    assert "Ground for the extension: — → Information was requested from another body." in html
    assert "executor: None" not in html and "→ 1<" not in html


def test_the_audit_list_speaks_azerbaijani_with_a_dotted_capital_i(client, world, worked):
    html = (
        signed_in(client, world["users"]["supervisor"], "az")
        .get("/admin/appeals/historicalletter/", {"q": worked.registration_number})
        .content.decode()
    )
    assert "İcraçı: — → Həsənov Rəşad" in html  # "icraçı" capitalised the Azerbaijani way
    assert "Icraçı" not in html
    for english in ("HISTORY DATE", "History date", "history_type", "Changed", "Created"):
        assert english not in html


def test_only_those_who_read_the_audit_see_a_letters_history(client, world, worked):
    signed_in(client, world["users"]["executor"], "en")
    assert client.get(f"/admin/appeals/letter/{worked.pk}/history/").status_code == 403
    page = client.get(f"/admin/appeals/letter/{worked.pk}/change/").content.decode()
    assert f"/admin/appeals/letter/{worked.pk}/history/" not in page


def test_the_audit_list_costs_the_same_queries_for_one_letter_or_many(client, world, worked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, world["users"]["supervisor"], "en")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/appeals/historicalletter/").status_code == 200
        return len(captured)

    few = queries()
    for _ in range(3):
        letter = LetterFactory(executor=world["executor"])
        services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    assert queries() == few  # no query per row: previous versions and names are read once
