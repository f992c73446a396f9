"""Deadlines as the law counts them, on the calendar the migrations load (2026 confirmed with the
Cabinet's decision, 2027 estimated from the holidays package). Every expected date below was
counted by hand on a printed calendar; the comments show the count."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import settings as settings_for_hypothesis
from hypothesis import strategies as st

from appeals import holidaysource, services, terms
from appeals.models import (
    ApiClient,
    CalendarDay,
    CalendarYear,
    EventKind,
    Letter,
    WorkingCalendar,
    legal_terms,
    working_days_taken,
)
from appeals.statuses import Status
from reports import queries
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db

D = dt.date


def on(day: dt.date):
    """Today is ``day`` (letters are registered on the day they arrive, never later)."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def staff(admin_client):
    """A superuser's admin, in English (the admin takes its language from the cookie)."""
    admin_client.cookies["django_language"] = "en"
    return admin_client


def api(client, number: str) -> dict:
    """The public API's answer for ``number``, in English, as a partner with a token sees it."""
    partner = ApiClient(name="e-gov.az", rate_limit_per_minute=1000)
    token = partner.issue_token()
    partner.save()
    return client.get(f"/api/v1/letters/{number}?lang=en", HTTP_AUTHORIZATION=f"Bearer {token}").json()


# (registered, examination term in working days, due date, provisional)
EXAMINATION = [
    # Novruz and Ramazan 2026: 20–30 March off (20, 23–27, 30 March on weekdays).
    (D(2026, 3, 13), 15, D(2026, 4, 14), False),  # 16–19 (4), 31 (5), 1–3 Apr (8), 6–10 (13), 13, 14
    (D(2026, 3, 14), 15, D(2026, 4, 14), False),  # a Saturday: counts from the Monday, as above
    (D(2026, 3, 1), 15, D(2026, 4, 1), False),  # a Sunday: 2–6 (5), 10–13 (9), 16–19 (13), 31, 1 Apr
    (D(2026, 3, 2), 15, D(2026, 4, 2), False),  # 3–6 (4), 9 off, 10–13 (8), 16–19 (12), 31, 1, 2 Apr
    (D(2026, 3, 18), 15, D(2026, 4, 17), False),  # 19 (1), 31 (2), 1–3 Apr (5), 6–10 (10), 13–17 (15)
    (D(2026, 3, 19), 15, D(2026, 4, 20), False),  # 31 (1), 1–3 Apr (4), 6–10 (9), 13–17 (14), 20
    (D(2026, 3, 2), 30, D(2026, 4, 23), False),  # additional study: 2 Apr is the 15th, 3, 6–10, 13–17, 20–23
    # 9 May 2026 fell on a Saturday: 11 May off; Qurban 27–29 May.
    (D(2026, 5, 4), 15, D(2026, 5, 26), False),  # 5–8 (4), 12–15 (8), 18–22 (13), 25, 26
    (D(2026, 5, 8), 15, D(2026, 6, 4), False),  # 12–15 (4), 18–22 (9), 25, 26 (11), 1–4 Jun (15)
    (D(2026, 5, 25), 15, D(2026, 6, 19), False),  # 26 (1), 1–5 Jun (6), 8–12 (11), 15 off, 16–19 (15)
    (D(2026, 6, 22), 15, D(2026, 7, 14), False),  # 23–25 (3), 26 off, 29, 30 (5), 1–3 Jul (8), 6–10, 13, 14
    (D(2026, 11, 2), 15, D(2026, 11, 25), False),  # 3–6 (4), 9–10 off, 11–13 (7), 16–20 (12), 23–25
    # The year end: 31 December 2026, then 1 January and 4 January 2027 (2 January was a Saturday).
    (D(2026, 12, 7), 15, D(2026, 12, 28), False),  # 8–11 (4), 14–18 (9), 21–25 (14), 28
    (D(2026, 12, 10), 15, D(2027, 1, 5), True),  # 11 (1), 14–18 (6), 21–25 (11), 28–30 (14), 5 Jan
    (D(2026, 12, 16), 15, D(2027, 1, 11), True),  # 17, 18 (2), 21–25 (7), 28–30 (10), 5–8 Jan (14), 11
    (D(2026, 12, 22), 15, D(2027, 1, 15), True),  # 23–25 (3), 28–30 (6), 5–8 Jan (10), 11–15 (15)
    # 2027, estimated: Ramazan ≈ 9–10 March beside 8 March.
    (D(2027, 3, 1), 15, D(2027, 4, 1), True),  # 2–5 (4), 8–10 off, 11, 12 (6), 15–19 (11), 22–26 off, 29–31, 1 Apr
]

# (registered, forward by (3 working days, art. 7.10), reasons told by (5 working days, art. 8))
SHORT_TERMS = [
    (D(2026, 3, 18), D(2026, 4, 1), D(2026, 4, 3)),  # 19, 31, 1 Apr; then 2, 3 Apr
    (D(2026, 5, 26), D(2026, 6, 3), D(2026, 6, 5)),  # Qurban 27–29 May: 1, 2, 3 Jun; then 4, 5
    (D(2026, 12, 7), D(2026, 12, 10), D(2026, 12, 14)),  # 8, 9, 10; then 11, 14
    (D(2026, 12, 22), D(2026, 12, 25), D(2026, 12, 29)),  # 23, 24, 25; then 28, 29
]


@pytest.mark.parametrize(("received", "working_days", "due", "provisional"), EXAMINATION)
def test_the_examination_term_as_counted_by_hand(settings, received, working_days, due, provisional):
    needs_study = working_days == settings.APPEALS_EXTENDED_TERM_WORKING_DAYS
    terms_ = legal_terms(received_on=received, needs_additional_study=needs_study)
    assert (terms_.due_date, terms_.provisional) == (due, provisional)


@pytest.mark.parametrize(("received", "forward_by", "notice_by"), SHORT_TERMS)
def test_forwarding_and_notice_terms_as_counted_by_hand(received, forward_by, notice_by):
    terms_ = legal_terms(received_on=received)
    assert (terms_.forwarding_due, terms_.notice_due) == (forward_by, notice_by)


def test_a_registered_letter_carries_every_term():
    with on(D(2026, 12, 16)):
        letter = Letter.objects.get(pk=LetterFactory(received_on=D(2026, 12, 16)).pk)
    assert (letter.due_date, letter.due_date_provisional) == (D(2027, 1, 11), True)
    assert (letter.forwarding_due, letter.notice_due) == (D(2026, 12, 21), D(2026, 12, 23))


def test_the_first_counted_day_is_the_working_day_after_registration_unless_set(settings):
    """The law does not say; the default (one setting) counts from the next working day. Across
    the 2026 Novruz week: Thursday 19 March is due 20 April by default, 17 April when the
    registration day counts (19 (1), 31 (2), 1–3 Apr (5), 6–10 (10), 13–17 (15))."""
    assert legal_terms(received_on=D(2026, 3, 19)).due_date == D(2026, 4, 20)
    settings.APPEALS_TERM_COUNTS_REGISTRATION_DAY = True
    assert legal_terms(received_on=D(2026, 3, 19)).due_date == D(2026, 4, 17)
    # A registration on a holiday counts nothing that day: 20 March is Novruz.
    assert legal_terms(received_on=D(2026, 3, 20)).due_date == D(2026, 4, 20)
    # Answer times count the same way: answered on 20 April, 16 working days with the day itself.
    letter = LetterFactory(received_on=D(2026, 3, 19), executor=ExecutorFactory())
    services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 4, 20)):
        answered = services.change_status(letter=letter, to_status=Status.ANSWERED, answer_channel="post")
    assert answered.answer_working_days == 16


def test_an_extension_counts_on_the_calendar_and_stops_at_30_working_days():
    letter = LetterFactory(received_on=D(2026, 5, 4), executor=ExecutorFactory())  # due 26 May
    letter = services.extend_due_date(letter=letter, working_days=5, reason="Ekspertiza", ground="more_information")
    assert letter.due_date == D(2026, 6, 5)  # Qurban 27–29 May: 1–5 June
    longest = LetterFactory(received_on=D(2026, 3, 2), executor=ExecutorFactory())  # due 2 April
    with pytest.raises(services.ValidationError) as refused, translation.override("en"):
        services.extend_due_date(letter=longest, working_days=31, reason="Başqa orqan", ground="more_information")
    assert "1 to 30 working days" in str(refused.value)
    longest = services.extend_due_date(letter=longest, working_days=30, reason="Başqa orqan", ground="more_information")
    # 3 Apr (1), 6–10 (6), 13–17 (11), 20–24 (16), 27 Apr–1 May (21), 4–8 (26), 11 off, 12–15 (30)
    assert longest.due_date == D(2026, 5, 15)


# --- the calendar kept by year ------------------------------------------------------------


def test_2026_is_confirmed_and_2027_is_loaded_as_estimated():
    assert CalendarYear.objects.get(year=2026).confirmed
    assert not CalendarYear.objects.get(year=2027).confirmed
    estimated = CalendarDay.objects.filter(estimated=True).values_list("date", flat=True)
    assert sorted(estimated) == [D(2027, 3, 9), D(2027, 3, 10), D(2027, 5, 17), D(2027, 5, 18)]
    assert CalendarDay.objects.filter(date__year=2027).count() == 20


def test_the_generator_agrees_with_the_cabinets_2026_decision_and_the_2027_load():
    """holidays 0.109 gives exactly the weekdays the Cabinet declared off in 2026 (with 30 March
    and 11 May), and migration 0022's 2027 list is its output."""
    stored_2026 = set(CalendarDay.objects.filter(date__year=2026, kind="holiday").values_list("date", flat=True))
    assert {day.date for day in holidaysource.days_off(2026)} == stored_2026
    migration = importlib.import_module("appeals.migrations.0022_legal_terms_and_calendar_years")
    generated = [(day.date, day.estimated) for day in holidaysource.days_off(2027)]
    assert generated == [(day, estimated) for day, _name, estimated in migration.DAYS_2027]
    assert all("bayrami" not in day.name for day in holidaysource.days_off(2027))


def test_confirming_a_year_ends_to_be_confirmed_and_says_so_on_the_letter(staff, client):
    with on(D(2026, 12, 16)):
        letter = LetterFactory(received_on=D(2026, 12, 16), executor=ExecutorFactory())
    page = client.get("/en/track/", {"number": letter.registration_number}).content.decode()
    assert "11.01.2027" in page and "to be confirmed" in page
    answer = api(client, letter.registration_number)
    assert (answer["due_date"], answer["due_date_provisional"]) == ("2027-01-11", True)
    staff_page = staff.get(f"/admin/appeals/letter/{letter.pk}/change/").content.decode()
    assert "to be confirmed" in staff_page

    response = staff.post(
        "/admin/appeals/calendaryear/", {"action": "confirm", "_selected_action": ["2027"]}, follow=True
    )
    assert "2027 confirmed; 1 open letter" in response.content.decode()
    letter.refresh_from_db()
    assert (letter.due_date, letter.due_date_provisional) == (D(2027, 1, 11), False)
    assert letter.events.last().kind == EventKind.CONFIRMED
    assert letter.history.first().due_date_provisional is False
    assert not CalendarDay.objects.filter(estimated=True).exists()
    page = client.get("/en/track/", {"number": letter.registration_number}).content.decode()
    assert "to be confirmed" not in page
    assert "Due date confirmed" in page  # the public timeline says what happened


def test_a_corrected_estimate_moves_the_letters_that_count_over_it(staff):
    """The Cabinet fixes Ramazan 2027 a day later than estimated: 10 March is worked, 11 March
    is off. A letter of 1 March 2027 still ends on 1 April (one day off swapped for another in
    its term), but its 5-day notice term moves from 11 to 10 March (2–5, then 10); one of 10
    March moves from 7 to 8 April: 12 (1), 15–19 (6), 29–31 (9), 1–2 Apr (11), 5–8 (15)."""
    with on(D(2026, 12, 16)):
        december = LetterFactory(received_on=D(2026, 12, 16))
    with on(D(2027, 3, 10)):
        first = LetterFactory(received_on=D(2027, 3, 1), executor=ExecutorFactory())
        tenth = LetterFactory(received_on=D(2027, 3, 10), executor=ExecutorFactory())
    assert (first.due_date, tenth.due_date) == (D(2027, 4, 1), D(2027, 4, 7))
    day = CalendarDay.objects.get(date=D(2027, 3, 10))
    response = staff.post(
        f"/admin/appeals/calendarday/{day.pk}/change/", {"date": "2027-03-11", "kind": "holiday", "name": day.name}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    tenth.refresh_from_db()
    assert (first.due_date, tenth.due_date) == (D(2027, 4, 1), D(2027, 4, 8))
    assert tenth.events.last().kind == EventKind.RECOMPUTED
    assert tenth.due_date_provisional  # 2027 is not confirmed yet
    # The notice term is staff-side: the audit history records it, the public timeline does not.
    assert first.notice_due == D(2027, 3, 10)
    assert first.events.last().kind != EventKind.RECOMPUTED
    assert first.history.first().notice_due == D(2027, 3, 10)
    assert not CalendarDay.objects.get(date=D(2027, 3, 11)).estimated  # staff entered it
    december.refresh_from_db()
    assert december.due_date == D(2027, 1, 11)


def test_a_term_into_a_year_without_a_calendar_is_provisional_until_the_year_is_filled_and_confirmed(staff):
    """2028 has no calendar: a letter of 20 December 2027 counts 2028 with weekends only, and
    says "to be confirmed". Adding the year fills it from the generator (still estimated); the
    letters are recomputed when it is confirmed."""
    with on(D(2027, 12, 20)):
        letter = LetterFactory(received_on=D(2027, 12, 20), executor=ExecutorFactory())
    # 21–24 (4), 27–30 (8), 31 off, 3–7 Jan 2028 (13), 10, 11 (15): 1 Jan 2028 is a Saturday.
    assert (letter.due_date, letter.due_date_provisional) == (D(2028, 1, 11), True)
    response = staff.post("/admin/appeals/calendaryear/add/", {"year": "2028", "source": ""}, follow=True)
    assert "days off were added from the generator" in response.content.decode()
    assert CalendarDay.objects.filter(date__year=2028).count() > 10
    assert not CalendarYear.objects.get(year=2028).confirmed
    staff.post("/admin/appeals/calendaryear/", {"action": "confirm", "_selected_action": ["2027", "2028"]})
    letter.refresh_from_db()
    assert letter.due_date_provisional is False


# --- bad input in the calendar ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "date", "kind", "message"),
    [
        ("en", "2026-03-21", "holiday", "is a weekend day, already a day off"),
        ("az", "2026-03-21", "holiday", "həftə sonu"),
        ("en", "2026-03-17", "working_day", "is a weekday, already a working day"),
        ("en", "2026-03-20", "holiday", "already exists"),
    ],
)
def test_a_day_that_makes_no_sense_is_a_form_error(admin_client, language, date, kind, message):
    admin_client.cookies["django_language"] = language
    before = CalendarDay.objects.count()
    response = admin_client.post("/admin/appeals/calendarday/add/", {"date": date, "kind": kind, "name": "X"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CalendarDay.objects.count() == before


def test_deleting_a_holiday_says_how_many_open_letters_depend_on_it(staff):
    LetterFactory(received_on=D(2026, 3, 13))
    LetterFactory(received_on=D(2026, 3, 16))
    LetterFactory(received_on=D(2026, 4, 1))  # after it: unaffected
    day = CalendarDay.objects.get(date=D(2026, 3, 30))
    page = staff.get(f"/admin/appeals/calendarday/{day.pk}/delete/").content.decode()
    assert "2 open letters count their terms over this day" in page


# --- warnings -----------------------------------------------------------------------------


def test_administrators_are_warned_from_november_while_next_year_is_unconfirmed(client, make_staff):
    from appeals.roles import Role

    administrator = make_staff(Role.ADMINISTRATOR)
    client.force_login(administrator, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 10, 31)):
        assert "is not confirmed" not in client.get("/admin/").content.decode()
        call_command("check_calendar", stdout=io.StringIO())
    assert mail.outbox == []
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 11, 1)):
        assert "The holiday calendar of 2027 is not confirmed" in client.get("/admin/").content.decode()
        call_command("check_calendar", stdout=io.StringIO())
    assert [message.to for message in mail.outbox] == [[administrator.email]]
    assert "2027" in mail.outbox[0].subject
    services.confirm_calendar_year(year=2027, actor=administrator)
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 11, 2)):
        assert "is not confirmed" not in client.get("/admin/").content.decode()
        call_command("check_calendar", stdout=io.StringIO())
    assert len(mail.outbox) == 1


# --- the terms where people read them -------------------------------------------------------


def test_the_public_page_shows_the_term_and_the_day_a_letter_was_forwarded(client):
    letter = LetterFactory(received_on=D(2026, 3, 18))
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 3, 31)):
        services.change_status(letter=letter, to_status=Status.FORWARDED, forwarded_to="Vergi Xidməti")
    page = client.get("/en/track/", {"number": letter.registration_number}).content.decode()
    assert "How it ended" in page and "31.03.2026" in page  # the day it was forwarded
    assert "Term: 15 working days" not in page  # a closed letter shows how it ended instead
    with on(D(2026, 3, 18)):
        still_open = LetterFactory(received_on=D(2026, 3, 18))
    page = client.get("/en/track/", {"number": still_open.registration_number}).content.decode()
    assert "Term: 15 working days from registration" in page
    answer = api(client, letter.registration_number)
    assert (answer["forwarded_on"], answer["term_working_days"]) == ("2026-03-31", 15)


def test_the_staff_letter_page_lists_each_term(staff):
    letter = LetterFactory(received_on=D(2026, 3, 18))
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 4, 2)):
        services.change_status(letter=letter, to_status=Status.FORWARDED, forwarded_to="Vergi Xidməti")
        with translation.override("en"):
            states = {state.term.code: state for state in terms.states(Letter.objects.get(pk=letter.pk), D(2026, 4, 2))}
    assert states["forwarding"].due == D(2026, 4, 1)
    assert states["forwarding"].late and "late by 1 working day" in states["forwarding"].state
    assert "does not apply" in states["notice"].state
    page = staff.get(f"/admin/appeals/letter/{letter.pk}/change/").content.decode()
    assert "Forwarding to the competent body" in page and "01.04.2026" in page
    assert "late by 1 working day" in page


def test_the_reports_count_each_term_kept_or_late(make_staff):
    executor = ExecutorFactory()
    on_time = LetterFactory(received_on=D(2026, 3, 18), executor=executor)
    late = LetterFactory(received_on=D(2026, 3, 18), executor=executor)
    refused = LetterFactory(received_on=D(2026, 3, 18), executor=executor)
    for letter, day, status, extra in [
        (on_time, D(2026, 4, 1), Status.FORWARDED, {"forwarded_to": "DVX"}),
        (late, D(2026, 4, 2), Status.FORWARDED, {"forwarded_to": "DVX"}),
        (refused, D(2026, 4, 6), Status.LEFT_WITHOUT_CONSIDERATION, {"ground": "form", "reason": "Anonim"}),
    ]:
        with mock.patch("django.utils.timezone.localdate", return_value=day):
            services.change_status(letter=letter, to_status=status, **extra)
    rows = queries.legal_terms(queries.Scope(D(2026, 4, 1), D(2026, 4, 30), None))
    by_term = {row["term"].code: row for row in rows}
    assert (by_term["forwarding"]["ended"], by_term["forwarding"]["on_time"], by_term["forwarding"]["late"]) == (
        2,
        1,
        1,
    )
    assert (by_term["notice"]["ended"], by_term["notice"]["late"]) == (1, 1)  # due 3 April, told on 6 April
    assert by_term["examination"]["ended"] == 0


# --- counting forth and back agree --------------------------------------------------------

_DAYS = st.dates(min_value=D(2026, 1, 1), max_value=D(2027, 12, 31))


@settings_for_hypothesis(max_examples=200, deadline=None)
@given(received=_DAYS, holidays=st.frozensets(_DAYS, max_size=40), counts_registration_day=st.booleans())
def test_a_term_counted_back_is_its_length(received, holidays, counts_registration_day):
    """Whatever the calendar and the first-day setting, the working days a letter answered on
    its due date took are exactly its term, and a letter is never due before the forwarding
    and notice terms end."""
    with override_settings(APPEALS_TERM_COUNTS_REGISTRATION_DAY=counts_registration_day):
        calendar = WorkingCalendar(holidays=holidays, working_weekend_days=frozenset())
        terms_ = calendar.terms_for(received)
        assert working_days_taken(received, terms_.due_date, calendar) == 15
        assert working_days_taken(received, terms_.forwarding_due, calendar) == 3
        assert received <= terms_.forwarding_due <= terms_.notice_due <= terms_.due_date


# --- found in review ----------------------------------------------------------------------


def test_working_days_left_count_the_holidays_ahead():
    """13 March 2026 is due 14 April; on 16 March, 14 working days are left (Novruz between)."""
    letter = Letter.objects.get(pk=LetterFactory(received_on=D(2026, 3, 13)).pk)
    with translation.override("en"):
        states = {state.term.code: state.state for state in terms.states(letter, D(2026, 3, 16))}
    assert states["examination"] == "14 working days left"


def test_a_year_before_the_calendar_began_is_history_not_to_be_confirmed():
    assert legal_terms(received_on=D(2025, 12, 1)).provisional is False


def test_a_day_off_on_the_registration_day_counts_when_that_day_does(settings, staff):
    settings.APPEALS_TERM_COUNTS_REGISTRATION_DAY = True
    with on(D(2026, 4, 6)):
        letter = LetterFactory(received_on=D(2026, 4, 6))
    assert letter.due_date == D(2026, 4, 24)  # 6 April (1) … 24 April (15)
    staff.post("/admin/appeals/calendarday/add/", {"date": "2026-04-06", "kind": "holiday", "name": "X"})
    letter.refresh_from_db()
    assert letter.due_date == D(2026, 4, 27)


def test_confirming_a_year_without_days_is_refused(staff):
    CalendarYear.objects.create(year=2028)
    response = staff.post(
        "/admin/appeals/calendaryear/", {"action": "confirm", "_selected_action": ["2028"]}, follow=True
    )
    assert "2028 has no days off yet" in response.content.decode()
    assert not CalendarYear.objects.get(year=2028).confirmed


@pytest.mark.parametrize("year", ["0", "1999", "10000", "20277"])
def test_a_year_out_of_range_is_a_form_error(staff, year):
    response = staff.post("/admin/appeals/calendaryear/add/", {"year": year, "source": ""})
    assert response.status_code == 200
    assert not CalendarYear.objects.filter(year=int(year) if int(year) < 32768 else 0).exists()


def test_deleting_several_days_is_all_or_nothing(staff):
    letter = LetterFactory(received_on=D(2026, 3, 13))
    days = list(CalendarDay.objects.filter(date__range=(D(2026, 3, 20), D(2026, 3, 30))).values_list("pk", flat=True))
    failing = mock.patch("appeals.services.calendar_changed", side_effect=RuntimeError("recompute failed"))
    with failing, pytest.raises(RuntimeError):
        staff.post(
            "/admin/appeals/calendarday/", {"action": "delete_selected", "_selected_action": days, "post": "yes"}
        )
    assert CalendarDay.objects.filter(pk__in=days).count() == len(days)  # nothing deleted
    letter.refresh_from_db()
    assert letter.due_date == D(2026, 4, 14)
