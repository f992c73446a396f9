"""Domain operations: registration, numbers, assignment, the workflow, the lookup log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from appeals import lookup, services
from appeals.models import CalendarDay, EventKind, HolidayKind, Letter, LookupLog, LookupOutcome, add_working_days
from appeals.numbers import normalise_registration_number
from appeals.statuses import Status
from tests.factories import DepartmentFactory, ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db


def test_registration_assigns_consecutive_valid_numbers_per_year():
    first = LetterFactory(received_on=dt.date(2026, 3, 2))
    second = LetterFactory(received_on=dt.date(2026, 3, 3))
    other_year = LetterFactory(received_on=dt.date(2025, 12, 30))
    assert first.registration_number == "2026-000001-5"
    assert second.registration_number == "2026-000002-8"
    assert other_year.registration_number.startswith("2025-000001-")
    for letter in (first, second, other_year):
        assert normalise_registration_number(letter.registration_number).canonical == letter.registration_number


@pytest.fixture
def hand_made_calendar():
    """A calendar of our own instead of the shipped one: two holidays and one worked Saturday."""
    CalendarDay.objects.all().delete()
    CalendarDay.objects.create(date=dt.date(2026, 3, 10), name="Sınaq bayramı")
    CalendarDay.objects.create(date=dt.date(2026, 3, 11), name="Sınaq bayramı")
    CalendarDay.objects.create(date=dt.date(2026, 3, 14), kind=HolidayKind.WORKING_DAY, name="İş günü")
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), name="Yeni il")


def test_registration_computes_the_due_date_in_working_days(settings, hand_made_calendar):
    settings.APPEALS_TERM_WORKING_DAYS = 15
    settings.APPEALS_EXTENDED_TERM_WORKING_DAYS = 30
    # 2 March + 15 working days: two holidays skipped, one Saturday worked → 24 March.
    assert LetterFactory(received_on=dt.date(2026, 3, 2)).due_date == dt.date(2026, 3, 24)
    extended = LetterFactory(received_on=dt.date(2026, 3, 2), needs_additional_study=True)
    assert extended.due_date == dt.date(2026, 4, 14)
    # Across the year boundary: 31 Dec 2026 (Thu) + 1 skips New Year's Day and the weekend.
    assert add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)


def test_the_shipped_calendar_skips_novruz_and_the_corrected_days():
    # The Cabinet's 2026 decision: 20–30 March and 9–11 May are not working days
    # (30 March: Ramazan coincided with Novruz, art. 105.6; 11 May: 9 May fell on a Saturday, art. 105.5).
    assert add_working_days(dt.date(2026, 3, 19), 1) == dt.date(2026, 3, 31)
    assert add_working_days(dt.date(2026, 5, 8), 1) == dt.date(2026, 5, 12)


def test_extension_is_once_and_bounded(settings, hand_made_calendar):
    settings.APPEALS_MAX_EXTENSION_WORKING_DAYS = 30
    letter = LetterFactory(received_on=dt.date(2026, 3, 2))
    with pytest.raises(ValidationError):
        services.extend_due_date(letter=letter, working_days=31, reason="Ekspertiza", ground="more_information")
    with pytest.raises(ValidationError):
        services.extend_due_date(letter=letter, working_days=5, reason="  ", ground="more_information")
    letter = services.extend_due_date(letter=letter, working_days=5, reason="Ekspertiza", ground="more_information")
    assert (letter.original_due_date, letter.due_date) == (dt.date(2026, 3, 24), dt.date(2026, 3, 31))
    with pytest.raises(ValidationError):
        services.extend_due_date(letter=letter, working_days=5, reason="Yenə", ground="more_information")


def test_registration_records_an_event():
    letter = LetterFactory()
    (event,) = letter.events.all()
    assert (event.kind, event.to_status) == (EventKind.REGISTRATION, Status.REGISTERED)


def test_registration_with_an_executor_assigns_the_letter():
    executor = ExecutorFactory()
    letter = LetterFactory(executor=executor)
    assert letter.status == Status.ASSIGNED
    assert letter.department == executor.department
    assert [e.kind for e in letter.events.all()] == [EventKind.REGISTRATION, EventKind.ASSIGNMENT]


def test_an_executor_from_another_department_is_refused_and_nothing_is_saved():
    executor = ExecutorFactory()
    with pytest.raises(ValidationError):
        LetterFactory(department=DepartmentFactory(), executor=executor)
    assert not Letter.objects.exists()


def test_workflow_follows_the_allowed_transitions():
    executor = ExecutorFactory()
    letter = LetterFactory(executor=executor)
    letter = services.change_status(letter=letter, to_status=Status.IN_PROGRESS, note="Baxılır")
    letter = services.change_status(letter=letter, to_status=Status.AWAITING_APPLICANT)
    letter = services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    letter = services.change_status(letter=letter, to_status=Status.ANSWERED, answer_channel="post")
    assert letter.status == Status.ANSWERED
    assert [e.to_status for e in letter.events.all()] == [
        Status.REGISTERED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.AWAITING_APPLICANT,
        Status.IN_PROGRESS,
        Status.ANSWERED,
    ]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.REGISTERED, Status.ANSWERED),
        (Status.REGISTERED, Status.IN_PROGRESS),
        (Status.ANSWERED, Status.IN_PROGRESS),
        (Status.FORWARDED, Status.ASSIGNED),
    ],
)
def test_a_forbidden_transition_is_refused_and_not_recorded(start, target):
    letter = LetterFactory()
    Letter.objects.filter(pk=letter.pk).update(status=start)
    events_before = letter.events.count()
    with pytest.raises(ValidationError):
        services.change_status(letter=letter, to_status=target)
    letter.refresh_from_db()
    assert letter.status == start
    assert letter.events.count() == events_before


def test_any_open_letter_can_be_forwarded():
    with pytest.raises(ValidationError):
        services.change_status(letter=LetterFactory(), to_status=Status.FORWARDED)
    letter = services.change_status(letter=LetterFactory(), to_status=Status.FORWARDED, forwarded_to="Vergi Xidməti")
    assert (letter.status, letter.forwarded_to) == (Status.FORWARDED, "Vergi Xidməti")
    assert not letter.is_open


def test_a_closed_letter_cannot_be_reassigned():
    executor = ExecutorFactory()
    letter = services.change_status(letter=LetterFactory(), to_status=Status.FORWARDED, forwarded_to="DTX")
    with pytest.raises(ValidationError):
        services.assign_letter(letter=letter, department=executor.department, executor=executor)


def test_overdue_and_open_querysets():
    open_late = LetterFactory(received_on=dt.date(2026, 1, 5))
    answered = services.change_status(
        letter=LetterFactory(received_on=dt.date(2026, 1, 5)), to_status=Status.FORWARDED, forwarded_to="DTX"
    )
    assert list(Letter.objects.overdue(today=dt.date(2026, 6, 1))) == [open_late]
    assert answered not in Letter.objects.open()


def test_lookup_log_stores_a_salted_hash_never_the_address():
    for address in ("203.0.113.7", "203.0.113.7", "203.0.113.8"):
        lookup.record_lookup(outcome=LookupOutcome.EMPTY, language="az", client_address=address)
    entry, again, other = LookupLog.objects.order_by("pk")
    assert "203.0.113.7" not in entry.client_hash
    assert len(entry.client_hash) == 32
    assert entry.client_hash == again.client_hash != other.client_hash
    assert (entry.outcome, entry.language, entry.channel) == (LookupOutcome.EMPTY, "az", "web")


def test_reopening_and_extension_reasons_stay_internal(client):
    executor = ExecutorFactory()
    letter = LetterFactory(executor=executor)
    letter = services.extend_due_date(
        letter=letter, working_days=5, reason="Daxili ekspertiza gözlənilir", ground="more_information"
    )
    letter = services.change_status(letter=letter, to_status=Status.FORWARDED, forwarded_to="Vergi Xidməti")
    services.reopen_letter(letter=letter, actor=None, reason="Rəis Məmmədovun göstərişi ilə")
    html = client.get("/en/track/", {"number": letter.registration_number}).content.decode()
    assert "Due date extended" in html and "Reopened" in html
    assert "Daxili ekspertiza" not in html and "Məmmədovun" not in html
    assert letter.events.get(kind=EventKind.REOPENING).staff_note == "Rəis Məmmədovun göstərişi ilə"


def test_the_executor_cannot_be_taken_away_from_a_letter_in_work():
    executor = ExecutorFactory()
    letter = services.change_status(letter=LetterFactory(executor=executor), to_status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.assign_letter(letter=letter, department=executor.department, executor=None)


def test_registered_letters_become_assigned_only_by_assignment():
    with pytest.raises(ValidationError):
        services.change_status(letter=LetterFactory(), to_status=Status.ASSIGNED)
