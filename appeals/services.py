"""Domain operations. Views, the admin and management commands call these; none re-implements them."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, deadlines, holidaysource, notifications, numbers, publicview, rules, searchkey
from .models import (
    CalendarDay,
    CalendarYear,
    Department,
    EventKind,
    Executor,
    HolidayKind,
    Letter,
    NotificationKind,
    PublicLetter,
    RegistrationCounter,
    StatusEvent,
)
from .models.calendar import WorkingCalendar, legal_terms, working_days_taken
from .statuses import FINAL, NEEDS_EXECUTOR, Status, can_transition

logger = logging.getLogger(__name__)


@transaction.atomic
def allocate_registration_numbers(*, year: int, count: int = 1) -> list[numbers.RegistrationNumber]:
    """Take the next ``count`` sequence numbers of ``year``, safe under concurrent registration.

    The year's counter row is created if missing (a conflicting insert is ignored), then
    incremented by an UPDATE, which holds the row lock until the transaction ends, and read back.
    """
    counters = RegistrationCounter.objects.filter(year=year)
    RegistrationCounter.objects.bulk_create([RegistrationCounter(year=year)], ignore_conflicts=True)
    counters.update(last_sequence=F("last_sequence") + count)
    last = counters.values_list("last_sequence", flat=True).get()
    return [numbers.RegistrationNumber(year, sequence) for sequence in range(last - count + 1, last + 1)]


def allocate_registration_number(*, year: int) -> numbers.RegistrationNumber:
    (number,) = allocate_registration_numbers(year=year, count=1)
    return number


@transaction.atomic
def reserve_registration_numbers(*, year: int, up_to: int) -> None:
    """Make sure the counter of ``year`` is at least ``up_to`` (numbers given by an import)."""
    RegistrationCounter.objects.bulk_create([RegistrationCounter(year=year)], ignore_conflicts=True)
    RegistrationCounter.objects.filter(year=year, last_sequence__lt=up_to).update(last_sequence=up_to)


def _refresh_search_keys(letter: Letter) -> list[str]:
    """Keep the Call Centre's folded search keys in step with the applicant's details."""
    letter.applicant_search_key = searchkey.name_key(letter.applicant_name)
    letter.applicant_phone_key = searchkey.phone_key(letter.applicant_phone)
    letter.applicant_phone_tail = searchkey.phone_tail(letter.applicant_phone)
    return ["applicant_search_key", "applicant_phone_key", "applicant_phone_tail"]


def record_history(letter_ids: list[int], *, created: bool, actor, at) -> None:
    """The audit history of letters written in bulk (the import, a corrected calendar)."""
    audit.copy_versions(
        Letter, Letter.history.model, letter_ids, created=created, at=at, actor_id=actor.pk if actor else None
    )


def _save(letter: Letter, fields: list[str], actor) -> None:
    """Save the named fields; the audit history records ``actor`` as the one who changed them."""
    if actor is not None:
        letter._history_user = actor
    letter.save(update_fields=[*fields, "updated_at"])


DETAIL_FIELDS = frozenset(
    {
        "kind",
        "channel",
        "subject",
        "applicant_name",
        "applicant_email",
        "applicant_phone",
        "applicant_language",
        "applicant_notices",
    }
)


@transaction.atomic
def update_letter_details(*, letter: Letter, actor=None, **changes) -> Letter:
    """Correct a letter's descriptive fields (not its status, assignment or dates: those have
    their own operations). Every change lands in the audit history."""
    unknown = set(changes) - DETAIL_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    for field, value in changes.items():
        setattr(letter, field, value)
    letter.full_clean(exclude=["department", "executor"])
    if changes:
        _save(letter, [*changes, *_refresh_search_keys(letter)], actor)
        refresh_public_letters(Letter.objects.filter(pk=letter.pk))  # the kind is public
    return letter


def letter_event(
    letter: Letter,
    kind: EventKind,
    *,
    from_status: str = "",
    actor=None,
    public_note: str = "",
    staff_note: str = "",
    occurred_at=None,
) -> StatusEvent:
    """One line of the letter's history, describing the letter as it now stands (unsaved, so
    the import can write many at once)."""
    return StatusEvent(
        letter=letter,
        occurred_at=occurred_at or timezone.now(),
        kind=kind,
        from_status=from_status,
        to_status=letter.status,
        department=letter.department,
        executor=letter.executor,
        actor=actor,
        public_note=public_note,
        staff_note=staff_note,
    )


def _record_event(letter: Letter, kind: EventKind, **details) -> StatusEvent:
    """Record the event, and show the letter as it now stands in its public view."""
    event = letter_event(letter, kind, **details)
    event.save()
    refresh_public_letters(Letter.objects.filter(pk=letter.pk))
    return event


def new_letter(
    *,
    number: numbers.RegistrationNumber,
    received_on: dt.date,
    status: str = Status.REGISTERED,
    needs_additional_study: bool = False,
    calendar: WorkingCalendar | None = None,
    **fields,
) -> Letter:
    """A letter as registration makes it (unsaved, so the import can create many at once): its
    number, its search keys and its due date. ``fields`` are the letter's other columns."""
    letter = Letter(
        registration_number=number.canonical,
        registration_year=number.year,
        registration_sequence=number.sequence,
        received_on=received_on,
        status=status,
        needs_additional_study=needs_additional_study,
        **fields,
    )
    deadlines.set_terms(
        letter,
        legal_terms(received_on=received_on, needs_additional_study=needs_additional_study, calendar=calendar),
    )
    _refresh_search_keys(letter)
    return letter


def enter_status(letter: Letter, status: str, *, on: dt.date, calendar: WorkingCalendar | None = None) -> list[str]:
    """Put ``letter`` in ``status`` as of the day ``on``, with what that implies: a final status
    sets the day it closed and, for an answer, the working days it took (what the reports
    count); an open one clears them. Returns the fields it changed. ``change_status``, the
    import and the demo data all come through here."""
    letter.status = status
    if status in FINAL:
        letter.closed_on = on
        letter.answer_working_days = None
        if status == Status.ANSWERED:
            letter.answer_working_days = working_days_taken(letter.received_on, on, calendar)
    else:
        letter.closed_on = None
        letter.answer_working_days = None
    return ["status", "closed_on", "answer_working_days"]


@transaction.atomic
def register_letter(
    *,
    received_on: dt.date,
    kind: str,
    channel: str,
    subject: str,
    applicant_name: str,
    applicant_email: str = "",
    applicant_phone: str = "",
    applicant_language: str = "az",
    applicant_notices: bool = True,
    department: Department | None = None,
    executor: Executor | None = None,
    needs_additional_study: bool = False,
    actor=None,
    note: str = "",
    notify: bool = True,
) -> Letter:
    """Register an incoming letter: give it a number and a due date, and record the event.
    With an executor, the letter is assigned in the same transaction."""
    if executor is not None and department is None:
        department = executor.department
    rules.check_assignment(department, executor)
    rules.check_received_on(received_on)
    letter = new_letter(
        number=allocate_registration_number(year=received_on.year),
        received_on=received_on,
        kind=kind,
        channel=channel,
        subject=subject,
        applicant_name=applicant_name,
        applicant_email=applicant_email,
        applicant_phone=applicant_phone,
        applicant_language=applicant_language,
        department=department,
        needs_additional_study=needs_additional_study,
    )
    letter.applicant_notices = applicant_notices
    letter.full_clean()
    if actor is not None:
        letter._history_user = actor
    letter.save()
    event = _record_event(letter, EventKind.REGISTRATION, actor=actor, public_note=note)
    if executor is not None:
        letter = assign_letter(letter=letter, department=department, executor=executor, actor=actor, notify=False)
    if notify:  # one notice: the acknowledgement names the department and executor too
        notifications.announce(letter, NotificationKind.ACKNOWLEDGEMENT, event)
    return letter


@transaction.atomic
def assign_letter(
    *,
    letter: Letter,
    department: Department,
    executor: Executor | None,
    actor=None,
    note: str = "",
    notify: bool = True,
) -> Letter:
    """Hand a letter to a department and (optionally) an executor. A registered letter given an
    executor becomes ``assigned``; the change is recorded as an event either way, and the
    applicant and subscribers are told who has it."""
    rules.check_assignment(department, executor)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    from_status = letter.status
    if not letter.is_open:
        raise ValidationError(_("A closed letter cannot be reassigned; reopen it first."))
    if executor is None and letter.status in NEEDS_EXECUTOR:
        raise ValidationError({"executor": _("This letter is already being worked on: choose its executor.")})
    letter.department = department
    letter.executor = executor
    if executor is not None and letter.status == Status.REGISTERED:
        letter.status = Status.ASSIGNED
    _save(letter, ["department", "executor", "status"], actor)
    event = _record_event(letter, EventKind.ASSIGNMENT, from_status=from_status, actor=actor, public_note=note)
    if notify:
        notifications.announce(letter, NotificationKind.ASSIGNMENT, event)
    return letter


# The notice a new status sends (others: "status changed").
STATUS_NOTICES = {
    Status.FORWARDED: NotificationKind.FORWARDING,
    Status.ANSWERED: NotificationKind.ENDING,
    Status.LEFT_WITHOUT_CONSIDERATION: NotificationKind.ENDING,
}

ENDING_FIELDS = ["forwarded_to", "closure_reason", "answer_channel", "outgoing_number", "non_consideration_ground"]


def set_ending(
    letter: Letter,
    *,
    forwarded_to: str = "",
    reason: str = "",
    answer_channel: str = "",
    outgoing_number: str = "",
    ground: str = "",
) -> list[str]:
    """How ``letter`` ended, as far as its status says: the answer's channel and outgoing
    number, the competent body, or the ground for leaving it without consideration (and the
    staff's own reason). What does not belong to its status is cleared. Returns the fields."""
    status = letter.status
    letter.answer_channel = answer_channel if status == Status.ANSWERED else ""
    letter.outgoing_number = outgoing_number.strip() if status == Status.ANSWERED else ""
    letter.forwarded_to = forwarded_to.strip() if status == Status.FORWARDED else ""
    letter.non_consideration_ground = ground if status == Status.LEFT_WITHOUT_CONSIDERATION else ""
    letter.closure_reason = reason.strip() if status in FINAL else ""
    return ENDING_FIELDS


@transaction.atomic
def change_status(
    *,
    letter: Letter,
    to_status: str,
    actor=None,
    note: str = "",
    forwarded_to: str = "",
    reason: str = "",
    ground: str = "",
    answer_channel: str = "",
    outgoing_number: str = "",
    notify: bool = True,
) -> Letter:
    """Move a letter along one of the allowed transitions and record the event. A closing
    status says how the letter ended (rules.check_closing); ``reason`` is the staff's own
    note, never shown to the public. The applicant and the letter's subscribers are told
    (notifications.announce: queued in this transaction, sent by the worker) unless ``notify``
    is off, as for demo data."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    from_status = letter.status
    if not can_transition(from_status, to_status):
        raise ValidationError(
            {
                "status": _("A letter cannot go from “%(from)s” to “%(to)s”.")
                % {"from": Status(from_status).label, "to": Status(to_status).label}
            }
        )
    if to_status == Status.IN_PROGRESS and letter.executor_id is None:
        raise ValidationError({"status": _("Assign an executor before starting work on the letter.")})
    rules.check_closing(to_status, forwarded_to=forwarded_to, ground=ground, answer_channel=answer_channel)
    fields = enter_status(letter, to_status, on=timezone.localdate())
    fields += set_ending(
        letter,
        forwarded_to=forwarded_to,
        reason=reason,
        answer_channel=answer_channel,
        outgoing_number=outgoing_number,
        ground=ground,
    )
    _save(letter, fields, actor)
    event = _record_event(
        letter,
        EventKind.STATUS,
        from_status=from_status,
        actor=actor,
        public_note=note.strip() or letter.forwarded_to,
        staff_note=reason.strip(),
    )
    if notify:
        notifications.announce(letter, STATUS_NOTICES.get(to_status, NotificationKind.STATUS_UPDATE), event)
    elif to_status in FINAL:
        notifications.end_closed_subscriptions(letter)  # closed in silence: its followers' end
    return letter


@transaction.atomic
def reopen_letter(*, letter: Letter, actor, reason: str) -> Letter:
    """Bring a closed letter back into work, deliberately and on the record."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.is_open:
        raise ValidationError(_("Only a closed letter can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the letter.")})
    from_status = letter.status
    fields = enter_status(
        letter, Status.IN_PROGRESS if letter.executor_id else Status.REGISTERED, on=timezone.localdate()
    )
    _save(letter, [*fields, *set_ending(letter)], actor)
    # The reason is internal; the public timeline and the notice say "examined again".
    event = _record_event(letter, EventKind.REOPENING, from_status=from_status, actor=actor, staff_note=reason.strip())
    notifications.announce(letter, NotificationKind.REOPENING, event)
    return letter


@transaction.atomic
def extend_due_date(*, letter: Letter, working_days: int, reason: str, ground: str, actor=None) -> Letter:
    """Extend the term once, by at most 30 more working days (art. 10.2), on a public ground
    the citizen reads, with the staff's own reason."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    rules.check_extension(letter, working_days=working_days, reason=reason, ground=ground)
    calendar = WorkingCalendar.load(letter.due_date, letter.due_date + dt.timedelta(days=working_days * 3 + 60))
    letter.original_due_date = letter.due_date
    letter.due_date, letter.due_date_provisional = deadlines.extended(calendar, letter, letter.due_date, working_days)
    letter.extension_reason = reason.strip()
    letter.extension_ground = ground
    _save(
        letter, ["original_due_date", "due_date", "due_date_provisional", "extension_reason", "extension_ground"], actor
    )
    event = _record_event(
        letter, EventKind.EXTENSION, from_status=letter.status, actor=actor, staff_note=letter.extension_reason
    )
    notifications.announce(letter, NotificationKind.EXTENSION, event)  # the new date and the public ground
    return letter


@transaction.atomic
def calendar_changed(*, old: WorkingCalendar, changed_days, actor=None) -> int:
    """The holiday calendar changed on ``changed_days`` (``old`` is how it was), or a year was
    confirmed: recompute the open letters whose term crosses those days or is provisional,
    record it on each, keep their audit history and public view in step. Returns how many
    letters changed."""
    now = timezone.now()
    ids = deadlines.recompute_due_dates(
        letter_model=Letter,
        event_model=StatusEvent,
        old=old,
        new=WorkingCalendar.load(),
        changed_days=changed_days,
        at=now,
        actor_id=actor.pk if actor is not None else None,
    )
    record_history(ids, created=False, actor=actor, at=now)
    refresh_public_letters(Letter.objects.filter(pk__in=ids))
    return len(ids)


@transaction.atomic
def confirm_calendar_year(*, year: int, actor=None, source: str = "") -> int:
    """Staff have checked ``year``'s days off against the Cabinet's decision: the year and its
    days are no longer estimates, and the open letters whose due date waited for it are
    recomputed (their "to be confirmed" goes). Returns how many letters changed."""
    if not CalendarDay.objects.filter(date__year=year).exists():
        raise ValidationError(
            _("%(year)s has no days off yet: enter them before confirming the year.") % {"year": year}
        )
    old = WorkingCalendar.load()
    CalendarDay.objects.filter(date__year=year, estimated=True).update(estimated=False)
    calendar_year, _created = CalendarYear.objects.get_or_create(year=year)
    calendar_year.confirmed, calendar_year.confirmed_at, calendar_year.confirmed_by = True, timezone.now(), actor
    if source:
        calendar_year.source = source
    calendar_year.save()
    return calendar_changed(old=old, changed_days=(), actor=actor)


@transaction.atomic
def fill_calendar_year(*, year: int, actor=None) -> int:
    """Add ``year``'s days off from the generator (holidaysource.py), keeping every day staff
    already entered: theirs win. The year stays estimated until confirmed. Returns the days added."""
    if CalendarYear.objects.filter(year=year, confirmed=True).exists():
        raise ValidationError(_("%(year)s is confirmed: change its days one by one.") % {"year": year})
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Choose a year from 2000 to 2100."))
    old = WorkingCalendar.load()
    known = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    added = CalendarDay.objects.bulk_create(
        CalendarDay(date=day.date, kind=HolidayKind.HOLIDAY, name=day.name, estimated=day.estimated)
        for day in holidaysource.days_off(year)
        if day.date not in known
    )
    CalendarYear.objects.get_or_create(year=year, defaults={"source": holidaysource.SOURCE})
    calendar_changed(old=old, changed_days=[day.date for day in added], actor=actor)
    return len(added)


# --- The public read model -------------------------------------------------------------------
# What a citizen's lookup shows of a letter is kept in PublicLetter (publicview.py), rewritten
# here in the same transaction as every change that alters it: a letter's own changes (through
# _record_event and update_letter_details), the import, and a department or an executor edited.


def refresh_public_letters(letters) -> int:
    """Rebuild the public view of every letter in the queryset ``letters``."""
    return publicview.refresh(letters, event_model=StatusEvent, public_model=PublicLetter)


def store_public_letters(letters_with_timelines) -> None:
    """Write the public view of letters whose whole timeline the caller holds (the import's
    new letters), without reading them back."""
    publicview.store(PublicLetter, letters_with_timelines)


@transaction.atomic
def public_directory_changed(*, department: Department | None = None, executor: Executor | None = None) -> int:
    """A department or an executor was renamed or re-phoned: rebuild the public view of every
    letter that shows it (as the letter's department or executor, or in its timeline)."""
    letters = Letter.objects.none()
    if department is not None:
        in_timeline = StatusEvent.objects.filter(department=department).values("letter_id")
        letters = Letter.objects.filter(Q(department=department) | Q(pk__in=in_timeline))
    if executor is not None:
        letters = letters | Letter.objects.filter(executor=executor)
    return refresh_public_letters(letters)
