"""The holiday calendar corrected: due dates follow, each letter says so in its history."""

from __future__ import annotations

import datetime as dt

import pytest

from appeals import services
from appeals.models import CalendarDay, EventKind, Letter
from appeals.statuses import Status
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db

D = dt.date


def test_2026_is_corrected_by_the_migration():
    assert set(
        CalendarDay.objects.filter(date__in=[D(2026, 3, 30), D(2026, 5, 11)]).values_list("kind", flat=True)
    ) == {"holiday"}


@pytest.mark.parametrize(
    ("received", "due_without", "due_with"),
    [
        # Hand-counted, 15 working days. Friday 13 March: 16–19 March (4), Novruz 20–27, then
        # 30 March would be the 5th; corrected, 31 March is the 5th, 1–3 April, 6–10 April, 14 April.
        (D(2026, 3, 13), D(2026, 4, 13), D(2026, 4, 14)),
        # Monday 4 May: 5–8 May (4), 11 May would be the 5th; corrected, 12–15 (8), 18–22 (13), 25, 26.
        (D(2026, 5, 4), D(2026, 5, 25), D(2026, 5, 26)),
    ],
)
def test_deleting_and_restoring_a_corrected_day_recomputes_open_letters(admin_client, received, due_without, due_with):
    day = CalendarDay.objects.filter(date__in=[D(2026, 3, 30), D(2026, 5, 11)], date__gt=received).earliest("date")
    open_letter = LetterFactory(received_on=received, executor=ExecutorFactory())
    closed = services.change_status(
        letter=LetterFactory(received_on=received), to_status=Status.FORWARDED, forwarded_to="DVX"
    )
    assert open_letter.due_date == due_with
    response = admin_client.post(f"/admin/appeals/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    open_letter.refresh_from_db()
    assert open_letter.due_date == due_without
    assert open_letter.events.last().kind == EventKind.RECOMPUTED
    assert open_letter.public.data["due_date"] == due_without.isoformat()
    assert open_letter.history.first().due_date == due_without
    assert Letter.objects.get(pk=closed.pk).due_date == closed.due_date  # closed letters keep theirs
    admin_client.post(
        "/admin/appeals/calendarday/add/", {"date": day.date.isoformat(), "kind": "holiday", "name": day.name}
    )
    open_letter.refresh_from_db()
    assert open_letter.due_date == due_with


def test_an_extension_keeps_its_length_in_working_days(admin_client):
    letter = LetterFactory(received_on=D(2026, 3, 13), executor=ExecutorFactory())
    letter = services.extend_due_date(letter=letter, working_days=5, reason="Ekspertiza", ground="more_information")
    assert (letter.original_due_date, letter.due_date) == (D(2026, 4, 14), D(2026, 4, 21))
    day = CalendarDay.objects.get(date=D(2026, 3, 30))
    admin_client.post(f"/admin/appeals/calendarday/{day.pk}/delete/", {"post": "yes"})
    letter.refresh_from_db()
    assert (letter.original_due_date, letter.due_date) == (D(2026, 4, 13), D(2026, 4, 20))


def test_the_public_timeline_says_the_due_date_was_recomputed(admin_client, client):
    letter = LetterFactory(received_on=D(2026, 3, 13))
    admin_client.post(
        f"/admin/appeals/calendarday/{CalendarDay.objects.get(date=D(2026, 3, 30)).pk}/delete/", {"post": "yes"}
    )
    html = client.get("/en/track/", {"number": letter.registration_number}).content.decode()
    assert "Due date recomputed: the holiday calendar was corrected" in html
    assert "13.04.2026" in html
