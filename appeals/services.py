"""Domain operations. Views, the admin and management commands call these; none re-implements them."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import lookuplog, notifications, numbers, searchkey, workdays
from .models import (
    CalendarDay,
    Channel,
    Department,
    EventKind,
    Executor,
    HolidayKind,
    Letter,
    LookupChannel,
    LookupLog,
    LookupOutcome,
    NotificationKind,
    RegistrationCounter,
    StatusEvent,
)
from .statuses import FINAL, NEEDS_EXECUTOR, Status, can_transition

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkingCalendar:
    """The Committee's days off and worked weekend days, read once for many computations."""

    holidays: frozenset[dt.date]
    working_weekend_days: frozenset[dt.date]

    @classmethod
    def load(cls, start: dt.date | None = None, end: dt.date | None = None) -> WorkingCalendar:
        days = CalendarDay.objects.all()
        if start:
            days = days.filter(date__gt=start)
        if end:
            days = days.filter(date__lte=end)
        special = list(days.values_list("date", "kind"))
        return cls(
            holidays=frozenset(day for day, kind in special if kind == HolidayKind.HOLIDAY),
            working_weekend_days=frozenset(day for day, kind in special if kind == HolidayKind.WORKING_DAY),
        )

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        return workdays.add_working_days(
            start, days, holidays=self.holidays, working_weekend_days=self.working_weekend_days
        )


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start`` on the Committee's calendar: weekends, and the
    holidays and transferred working days that staff keep in the admin."""
    # A generous window: no run of holidays pushes the result past it.
    return WorkingCalendar.load(start, start + dt.timedelta(days=days * 3 + 60)).add_working_days(start, days)


def due_date_for(
    *, received_on: dt.date, needs_additional_study: bool = False, calendar: WorkingCalendar | None = None
) -> dt.date:
    """The examination term counted in working days from registration."""
    term = settings.APPEALS_EXTENDED_TERM_WORKING_DAYS if needs_additional_study else settings.APPEALS_TERM_WORKING_DAYS
    if calendar is not None:
        return calendar.add_working_days(received_on, term)
    return add_working_days(received_on, term)


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
    return ["applicant_search_key", "applicant_phone_key"]


def _save(letter: Letter, fields: list[str], actor) -> None:
    """Save the named fields; the audit history records ``actor`` as the one who changed them."""
    if actor is not None:
        letter._history_user = actor
    letter.save(update_fields=[*fields, "updated_at"])
    forget_public_letters(letter.registration_number)


DETAIL_FIELDS = frozenset(
    {"kind", "channel", "subject", "applicant_name", "applicant_email", "applicant_phone", "applicant_language"}
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
    event = letter_event(letter, kind, **details)
    event.save()
    return event


def _validate_assignment(department: Department | None, executor: Executor | None) -> None:
    if executor is not None and department is not None and executor.department_id != department.pk:
        raise ValidationError({"executor": _("The executor does not work in the chosen department.")})
    if executor is not None and not executor.is_active:
        raise ValidationError({"executor": _("This executor is no longer active.")})


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
    _validate_assignment(department, executor)
    number = allocate_registration_number(year=received_on.year)
    letter = Letter(
        registration_number=number.canonical,
        registration_year=number.year,
        registration_sequence=number.sequence,
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
        due_date=due_date_for(received_on=received_on, needs_additional_study=needs_additional_study),
        status=Status.REGISTERED,
    )
    _refresh_search_keys(letter)
    letter.full_clean()
    if actor is not None:
        letter._history_user = actor
    letter.save()
    forget_public_letters(letter.registration_number)  # it may be cached as unknown
    _record_event(letter, EventKind.REGISTRATION, actor=actor, public_note=note)
    if executor is not None:
        letter = assign_letter(letter=letter, department=department, executor=executor, actor=actor)
    if notify and letter.channel == Channel.ELECTRONIC and letter.applicant_email:
        notifications.send_after_commit(letter_id=letter.pk, kind=NotificationKind.ACKNOWLEDGEMENT)
    return letter


@transaction.atomic
def assign_letter(
    *,
    letter: Letter,
    department: Department,
    executor: Executor | None,
    actor=None,
    note: str = "",
) -> Letter:
    """Hand a letter to a department and (optionally) an executor. A registered letter given an
    executor becomes ``assigned``; the change is recorded as an event either way."""
    _validate_assignment(department, executor)
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
    _record_event(letter, EventKind.ASSIGNMENT, from_status=from_status, actor=actor, public_note=note)
    return letter


@transaction.atomic
def change_status(
    *,
    letter: Letter,
    to_status: str,
    actor=None,
    note: str = "",
    forwarded_to: str = "",
    reason: str = "",
    notify: bool = True,
) -> Letter:
    """Move a letter along one of the allowed transitions and record the event. Forwarding
    names the competent body; leaving without consideration gives the reason. The applicant
    is told by e-mail after the change commits, when there is an address (unless ``notify`` is
    off, as for demo data and imports of old records)."""
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
    forwarded_to, reason = forwarded_to.strip(), reason.strip()
    if to_status == Status.FORWARDED and not forwarded_to:
        raise ValidationError({"forwarded_to": _("Name the competent body the letter is sent to.")})
    if to_status == Status.LEFT_WITHOUT_CONSIDERATION and not reason:
        raise ValidationError({"reason": _("Give the reason for leaving the letter without consideration.")})
    letter.status = to_status
    fields = ["status"]
    if to_status in FINAL:
        today = timezone.localdate()
        letter.closed_on = today
        fields.append("closed_on")
        if to_status == Status.ANSWERED:
            calendar = WorkingCalendar.load(letter.received_on, today)
            letter.answer_working_days = workdays.working_days_between(
                letter.received_on,
                today,
                holidays=calendar.holidays,
                working_weekend_days=calendar.working_weekend_days,
            )
            fields.append("answer_working_days")
    if to_status == Status.FORWARDED:
        letter.forwarded_to = forwarded_to
        fields.append("forwarded_to")
    if to_status == Status.LEFT_WITHOUT_CONSIDERATION:
        letter.closure_reason = reason
        fields.append("closure_reason")
    _save(letter, fields, actor)
    event = _record_event(
        letter,
        EventKind.STATUS,
        from_status=from_status,
        actor=actor,
        public_note=note.strip() or forwarded_to or reason,
    )
    if notify and letter.applicant_email:
        notifications.send_after_commit(letter_id=letter.pk, kind=NotificationKind.STATUS_UPDATE, event_id=event.pk)
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
    letter.status = Status.IN_PROGRESS if letter.executor_id else Status.REGISTERED
    letter.forwarded_to = ""
    letter.closure_reason = ""
    letter.closed_on = None
    letter.answer_working_days = None
    _save(letter, ["status", "forwarded_to", "closure_reason", "closed_on", "answer_working_days"], actor)
    # The reason is internal; the public timeline says "Reopened".
    _record_event(letter, EventKind.REOPENING, from_status=from_status, actor=actor, staff_note=reason.strip())
    return letter


@transaction.atomic
def extend_due_date(*, letter: Letter, working_days: int, reason: str, actor=None) -> Letter:
    """Extend the term once, by up to the configured number of working days, with a reason."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    limit = settings.APPEALS_MAX_EXTENSION_WORKING_DAYS
    if not letter.is_open:
        raise ValidationError(_("The due date of a closed letter cannot be extended."))
    if letter.original_due_date is not None:
        raise ValidationError(_("The due date of this letter has already been extended once."))
    if not 1 <= working_days <= limit:
        raise ValidationError({"working_days": _("Extend by 1 to %(limit)s working days.") % {"limit": limit}})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    letter.original_due_date = letter.due_date
    letter.due_date = add_working_days(letter.due_date, working_days)
    letter.extension_reason = reason.strip()
    _save(letter, ["original_due_date", "due_date", "extension_reason"], actor)
    _record_event(
        letter, EventKind.EXTENSION, from_status=letter.status, actor=actor, staff_note=letter.extension_reason
    )
    return letter


# --- The public read model -------------------------------------------------------------------
# A citizen's lookup reads the letter, its department, executor and timeline from the shared
# cache; every operation here that changes a letter forgets its entry, now and again after
# commit, so a lookup never shows a change later than the commit. Directory edits (a
# department's name, an executor's phone) move every entry to a new generation, which each
# process notices within PUBLIC_GENERATION_CHECK seconds.
PUBLIC_CACHE_SECONDS = 600
PUBLIC_GENERATION_CHECK = 1.0
_ABSENT = "absent"
_generation = {"value": None, "checked": 0.0}


def public_generation() -> int:
    now = time.monotonic()
    if _generation["value"] is None or now - _generation["checked"] > PUBLIC_GENERATION_CHECK:
        try:
            _generation["value"] = cache.get_or_set("public-letter-generation", 1, timeout=None)
        except Exception:  # the cache is down: nothing is cached, any generation will do
            logger.warning("public cache unavailable; generation unknown")
            return 0
        _generation["checked"] = now
    return _generation["value"]


def _public_key(canonical: str) -> str:
    return f"public-letter:{public_generation()}:{canonical}"


def forget_public_letters(*canonicals: str) -> None:
    """Drop these letters from the public cache, now and once the transaction commits."""

    def forget() -> None:
        try:
            cache.delete_many([_public_key(number) for number in canonicals])
        except Exception:  # a cache that is down holds nothing stale worth worrying about
            logger.warning("public cache unavailable; could not forget %s", canonicals[:3])

    forget()
    transaction.on_commit(forget)


def public_directory_changed() -> None:
    """A department or an executor changed: every cached letter may show it."""
    try:
        cache.get_or_set("public-letter-generation", 1, timeout=None)
        cache.incr("public-letter-generation")
    except Exception:
        logger.warning("public cache unavailable; generation not moved")
    _generation["value"] = None


def find_public_letter(*, number: numbers.RegistrationNumber) -> Letter | None:
    """The letter a citizen asked for, with what its public page shows: from the cache, or in
    two queries (and then cached). Unknown numbers are cached too, until one is registered."""
    try:
        key = _public_key(number.canonical)
        cached = cache.get(key)
    except Exception:
        logger.warning("public cache unavailable; reading the database")
        key, cached = None, None
    if cached is not None:
        return None if cached == _ABSENT else cached
    letter = Letter.objects.for_public().filter(registration_number=number.canonical).first()
    if key is not None:
        try:
            cache.set(key, letter if letter is not None else _ABSENT, PUBLIC_CACHE_SECONDS)
        except Exception:
            logger.warning("public cache unavailable; not cached")
    return letter


def hash_client_address(address: str) -> str:
    """A salted, keyed hash of a client address: lookups from one client can be counted
    together without the address itself ever being stored."""
    if not address:
        return ""
    key = settings.LOOKUP_LOG_SALT.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


def record_lookup(
    *,
    outcome: LookupOutcome,
    language: str,
    client_address: str,
    number: numbers.RegistrationNumber | None = None,
    letter: Letter | None = None,
    channel: LookupChannel = LookupChannel.WEB,
    api_client=None,
) -> LookupLog:
    """Record one lookup and its result (regulation 3.5.1). On the busiest path of the portal,
    so the row goes in as a plain INSERT (see lookuplog: batched in production's web processes)
    rather than through the ORM's save()."""
    entry = LookupLog(
        occurred_at=timezone.now(),
        channel=channel,
        number=number.canonical if number else "",
        outcome=outcome,
        language=language[:8],
        client_hash=hash_client_address(client_address),
        letter=letter,
        api_client=api_client,
    )
    lookuplog.record(lookuplog.row_of(entry))
    return entry
