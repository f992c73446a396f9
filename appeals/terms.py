"""The law's terms on one letter, as staff read them: each term, its article, the day it ends,
and where the letter stands against it. Whether a term was kept is decided here for the letter
page and, as the same conditions in SQL (``kept_q``), for the reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import Letter, WorkingCalendar
from .statuses import Status


@dataclass(frozen=True)
class Term:
    """A term the law sets, which status ends it, and the letter's field that holds its day."""

    code: str
    label: str
    article: str
    field: str
    ended_by: Status
    applies_if: str = ""  # when the term binds an open letter only if it ends this way


EXAMINATION = Term("examination", gettext_lazy("Examination"), "10.1", "due_date", Status.ANSWERED)
FORWARDING = Term(
    "forwarding",
    gettext_lazy("Forwarding to the competent body"),
    "7.10",
    "forwarding_due",
    Status.FORWARDED,
    gettext_lazy("binds if the letter is outside the Committee's competence"),
)
NOTICE = Term(
    "notice",
    gettext_lazy("Reasons for leaving without consideration"),
    "8",
    "notice_due",
    Status.LEFT_WITHOUT_CONSIDERATION,
    gettext_lazy("binds if the letter is left without consideration"),
)
TERMS = (EXAMINATION, FORWARDING, NOTICE)


def ended_q(term: Term) -> Q:
    """Letters that came to the status ending ``term``."""
    return Q(status=term.ended_by, closed_on__isnull=False)


def kept_q(term: Term) -> Q:
    """Of those, the ones that came to it by the term's day: on time."""
    return ended_q(term) & Q(closed_on__lte=F(term.field))


@dataclass(frozen=True)
class TermState:
    term: Term
    due: dt.date | None
    provisional: bool
    state: str  # what staff read: kept, late by N working days, N working days left, ...
    late: bool


def _late_by(calendar: WorkingCalendar, due: dt.date, day: dt.date) -> str:
    days = calendar.working_days_between(due, day)
    return ngettext("late by %(days)d working day", "late by %(days)d working days", days) % {"days": days}


def states(letter: Letter, today: dt.date, calendar: WorkingCalendar | None = None) -> list[TermState]:
    """Where ``letter`` stands against each term on ``today``."""
    if calendar is None:  # a window over every day the states below count: to today and to each term
        days = [today, letter.closed_on, letter.due_date, letter.forwarding_due, letter.notice_due]
        calendar = WorkingCalendar.load(letter.received_on, max(day for day in days if day), with_years=False)
    result = []
    for term in TERMS:
        due = getattr(letter, term.field)
        provisional = term is EXAMINATION and letter.due_date_provisional
        late = False
        if due is None:
            state = _("not counted (no date)")
        elif letter.status == term.ended_by and letter.closed_on:
            late = letter.closed_on > due
            when = f"{letter.closed_on:%d.%m.%Y}"
            state = (
                _("%(when)s, %(late)s") % {"when": when, "late": _late_by(calendar, due, letter.closed_on)}
                if late
                else _("%(when)s, on time") % {"when": when}
            )
        elif not letter.is_open:
            state = _("does not apply: the letter ended otherwise")
        elif due < today and term.applies_if:
            state = _("passed (%(binds)s)") % {"binds": term.applies_if}
        elif due < today:
            late, state = True, _late_by(calendar, due, today)
        else:
            left = calendar.working_days_between(today, due)
            state = ngettext("%(days)d working day left", "%(days)d working days left", left) % {"days": left}
        result.append(TermState(term, due, provisional, state, late))
    return result


def extension_state(letter: Letter) -> str:
    """Art. 10.2: once, by at most APPEALS_MAX_EXTENSION_WORKING_DAYS more working days."""
    limit = settings.APPEALS_MAX_EXTENSION_WORKING_DAYS
    if letter.original_due_date is None:
        return _("not extended (at most %(limit)d more working days, once)") % {"limit": limit}
    calendar = WorkingCalendar.load(letter.original_due_date, letter.due_date)
    days = calendar.working_days_between(letter.original_due_date, letter.due_date)
    return _("extended by %(days)d working days, from %(original)s (at most %(limit)d)") % {
        "days": days,
        "original": f"{letter.original_due_date:%d.%m.%Y}",
        "limit": limit,
    }


def due_soon_title() -> str:
    """The name of the "due soon" list: APPEALS_DUE_SOON_WORKING_DAYS (LetterQuerySet.due_soon)."""
    days = settings.APPEALS_DUE_SOON_WORKING_DAYS
    return ngettext("Due in the next %(days)d working day", "Due in the next %(days)d working days", days) % {
        "days": days
    }
