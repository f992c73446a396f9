"""Due dates recomputed when the holiday calendar changes (a corrected year, a holiday added or
deleted in the admin): every open letter whose term crosses a changed day gets the due date the
law gives it on the corrected calendar, keeping an extension's length in working days, and a
line in its history saying so. The models are arguments, so the data migration that corrects
2026 runs the same code as the admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from .models import EventKind
from .statuses import OPEN_LIST


def new_due_dates(letter, *, old, new) -> tuple[dt.date, dt.date | None]:
    """(due date, original due date) of ``letter`` on the ``new`` calendar; ``old`` is the
    calendar its current dates were counted on (for the length of an extension)."""
    term = (
        settings.APPEALS_EXTENDED_TERM_WORKING_DAYS
        if letter.needs_additional_study
        else settings.APPEALS_TERM_WORKING_DAYS
    )
    base = new.add_working_days(letter.received_on, term)
    if letter.original_due_date is None:
        return base, None
    extension = old.working_days_between(letter.original_due_date, letter.due_date)
    return new.add_working_days(base, extension), base


def recompute_due_dates(
    *, letter_model, event_model, old, new, changed_days: Iterable[dt.date], at: dt.datetime, actor_id=None
) -> list[int]:
    """Recompute the open letters whose term crosses one of ``changed_days``; record an event on
    each letter whose dates move. Returns their ids (the caller records their audit history and
    rewrites their public view)."""
    days = sorted(set(changed_days))
    if not days:
        return []
    candidates = letter_model._default_manager.filter(
        status__in=OPEN_LIST, received_on__lt=days[-1], due_date__gte=days[0]
    ).order_by("pk")
    moved = []
    for letter in candidates:
        due, original = new_due_dates(letter, old=old, new=new)
        if (due, original) != (letter.due_date, letter.original_due_date):
            letter.due_date, letter.original_due_date, letter.updated_at = due, original, at
            moved.append(letter)
    letter_model._default_manager.bulk_update(moved, ["due_date", "original_due_date", "updated_at"], batch_size=1000)
    event_model._default_manager.bulk_create(
        [
            event_model(
                letter_id=letter.pk,
                occurred_at=at,
                kind=EventKind.RECOMPUTED,
                from_status=letter.status,
                to_status=letter.status,
                department_id=letter.department_id,
                executor_id=letter.executor_id,
                actor_id=actor_id,
                public_note="",
                staff_note="",
            )
            for letter in moved
        ],
        batch_size=1000,
    )
    return [letter.pk for letter in moved]
