"""Domain operations. Views, the admin and management commands call these; none re-implements them."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import numbers, workdays
from .models import (
    Department,
    EventKind,
    Executor,
    Letter,
    LookupChannel,
    LookupLog,
    LookupOutcome,
    RegistrationCounter,
    StatusEvent,
)
from .statuses import Status, can_transition


def due_date_for(*, received_on: dt.date, needs_additional_study: bool = False) -> dt.date:
    """The examination term counted in working days from registration."""
    term = settings.APPEALS_EXTENDED_TERM_WORKING_DAYS if needs_additional_study else settings.APPEALS_TERM_WORKING_DAYS
    return workdays.add_working_days(received_on, term)


@transaction.atomic
def allocate_registration_number(*, year: int) -> numbers.RegistrationNumber:
    """Take the next sequence number of ``year``, safe under concurrent registration.

    The year's counter row is created if missing (a conflicting insert is ignored), then
    incremented by an UPDATE, which holds the row lock until the transaction ends, and read back.
    """
    counters = RegistrationCounter.objects.filter(year=year)
    RegistrationCounter.objects.bulk_create([RegistrationCounter(year=year)], ignore_conflicts=True)
    counters.update(last_sequence=F("last_sequence") + 1)
    sequence = counters.values_list("last_sequence", flat=True).get()
    return numbers.RegistrationNumber(year, sequence)


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
    letter.full_clean()
    letter.save()
    StatusEvent.objects.create(
        letter=letter,
        kind=EventKind.REGISTRATION,
        to_status=Status.REGISTERED,
        department=department,
        actor=actor,
        public_note=note,
    )
    if executor is not None:
        letter = assign_letter(letter=letter, department=department, executor=executor, actor=actor)
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
    letter.department = department
    letter.executor = executor
    if executor is not None and letter.status == Status.REGISTERED:
        letter.status = Status.ASSIGNED
    letter.save(update_fields=["department", "executor", "status", "updated_at"])
    StatusEvent.objects.create(
        letter=letter,
        kind=EventKind.ASSIGNMENT,
        from_status=from_status,
        to_status=letter.status,
        department=department,
        executor=executor,
        actor=actor,
        public_note=note,
    )
    return letter


@transaction.atomic
def change_status(*, letter: Letter, to_status: str, actor=None, note: str = "") -> Letter:
    """Move a letter along one of the allowed transitions and record the event."""
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
    letter.status = to_status
    letter.save(update_fields=["status", "updated_at"])
    StatusEvent.objects.create(
        letter=letter,
        kind=EventKind.STATUS,
        from_status=from_status,
        to_status=to_status,
        department=letter.department,
        executor=letter.executor,
        actor=actor,
        public_note=note,
    )
    return letter


def find_public_letter(*, number: numbers.RegistrationNumber) -> Letter | None:
    """The letter a citizen asked for, with what its public page shows, in two queries."""
    return Letter.objects.for_public().filter(registration_number=number.canonical).first()


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
) -> LookupLog:
    """Record one lookup and its result (regulation 3.5.1)."""
    return LookupLog.objects.create(
        occurred_at=timezone.now(),
        channel=channel,
        number=number.canonical if number else "",
        outcome=outcome,
        language=language[:8],
        client_hash=hash_client_address(client_address),
        letter=letter,
    )
