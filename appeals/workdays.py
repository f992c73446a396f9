"""Working-day arithmetic over a holiday calendar. Pure: the calendar is passed in as data.

Saturdays and Sundays are days off; ``holidays`` adds days off (public holidays, which in
Azerbaijan move every year) and ``working_weekend_days`` turns a weekend day into a working day
(the transferred working days the Cabinet of Ministers announces).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

_SATURDAY = 5


def is_working_day(
    day: dt.date,
    *,
    holidays: Collection[dt.date] = frozenset(),
    working_weekend_days: Collection[dt.date] = frozenset(),
) -> bool:
    if day in working_weekend_days:
        return True
    return day.weekday() < _SATURDAY and day not in holidays


def add_working_days(
    start: dt.date,
    days: int,
    *,
    holidays: Collection[dt.date] = frozenset(),
    working_weekend_days: Collection[dt.date] = frozenset(),
) -> dt.date:
    """The date ``days`` working days after ``start`` (the registration day itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays=holidays, working_weekend_days=working_weekend_days):
            remaining -= 1
    return day


def working_days_between(
    start: dt.date,
    end: dt.date,
    *,
    holidays: Collection[dt.date] = frozenset(),
    working_weekend_days: Collection[dt.date] = frozenset(),
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays=holidays, working_weekend_days=working_weekend_days):
            count += 1
    return count
