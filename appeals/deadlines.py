"""Legal terms recomputed when the holiday calendar changes (a corrected year, a holiday added or
deleted in the admin, a year confirmed): every open letter whose term crosses a changed day, or
whose due date is still to be confirmed, gets the terms the law gives it on the new calendar,
keeping an extension's length in working days, and a line in its history saying so. The models
are arguments, so a data migration can run the same code as the admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from .models import EventKind, LegalTerms
from .models.calendar import counting_over_q, first_counted_after
from .statuses import OPEN_LIST

TERM_FIELDS = ["due_date", "due_date_provisional", "forwarding_due", "notice_due"]
FIELDS = [*TERM_FIELDS, "original_due_date", "updated_at"]


def set_terms(letter, terms: LegalTerms) -> list[str]:
    """Give ``letter`` its legal terms (registration, the import, a recomputation); returns the fields set."""
    letter.due_date = terms.due_date
    letter.due_date_provisional = terms.provisional
    letter.forwarding_due = terms.forwarding_due
    letter.notice_due = terms.notice_due
    return TERM_FIELDS


def extended(calendar, letter, base: dt.date, working_days: int) -> tuple[dt.date, bool]:
    """The due date ``working_days`` after ``base`` (an extension, art. 10.2), and whether it
    is still to be confirmed: the one count the extension and a recomputation share."""
    due = calendar.add_working_days(base, working_days)
    return due, calendar.is_provisional(first_counted_after(letter.received_on), due)


def new_terms(letter, *, old, new) -> tuple[LegalTerms, dt.date | None]:
    """(terms, original due date) of ``letter`` on the ``new`` calendar; ``old`` is the
    calendar its current dates were counted on (for the length of an extension)."""
    terms = new.terms_for(letter.received_on, needs_additional_study=letter.needs_additional_study)
    if letter.original_due_date is None:
        return terms, None
    due, provisional = extended(
        new, letter, terms.due_date, old.working_days_between(letter.original_due_date, letter.due_date)
    )
    return LegalTerms(due, terms.forwarding_due, terms.notice_due, provisional), terms.due_date


def _terms_of(letter) -> tuple:
    return (letter.original_due_date, *(getattr(letter, field) for field in TERM_FIELDS))


def recompute_due_dates(
    *, letter_model, event_model, old, new, changed_days: Iterable[dt.date], at: dt.datetime, actor_id=None
) -> list[int]:
    """Recompute the open letters whose term crosses one of ``changed_days`` or is provisional;
    record an event on each letter whose due date moves or is confirmed. Returns the ids of all
    letters whose terms changed (the caller records their audit history and rewrites their
    public view)."""
    crossing = counting_over_q(sorted(set(changed_days)))
    candidates = (
        letter_model._default_manager.filter(status__in=OPEN_LIST)
        .filter(crossing | Q(due_date_provisional=True))
        .order_by("pk")
    )
    changed, events = [], []
    for letter in candidates:
        terms, original = new_terms(letter, old=old, new=new)
        before_due, before_provisional, before = letter.due_date, letter.due_date_provisional, _terms_of(letter)
        set_terms(letter, terms)
        letter.original_due_date = original
        if _terms_of(letter) == before:
            continue
        letter.updated_at = at
        changed.append(letter)
        if (before_due, before_provisional) == (letter.due_date, letter.due_date_provisional):
            continue  # only the forwarding or notice term moved: the audit history records it
        # Only the "to be confirmed" went: the date stood. Otherwise the date moved.
        confirmed = before_due == letter.due_date and before_provisional and not letter.due_date_provisional
        events.append(
            event_model(
                letter_id=letter.pk,
                occurred_at=at,
                kind=EventKind.CONFIRMED if confirmed else EventKind.RECOMPUTED,
                from_status=letter.status,
                to_status=letter.status,
                department_id=letter.department_id,
                executor_id=letter.executor_id,
                actor_id=actor_id,
                public_note="",
                staff_note="",
            )
        )
    letter_model._default_manager.bulk_update(changed, FIELDS, batch_size=1000)
    event_model._default_manager.bulk_create(events, batch_size=1000)
    return [letter.pk for letter in changed]
