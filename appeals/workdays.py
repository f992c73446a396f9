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
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later).
    Counted by whole weeks, then corrected by the calendar's days in the range: as fast for
    an answer after three years as after three days."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() < _SATURDAY:
            count += 1
    extra_working = {day for day in working_weekend_days if start < day <= end and day.weekday() >= _SATURDAY}
    days_off = {day for day in holidays if start < day <= end and day.weekday() < _SATURDAY}
    days_off -= set(working_weekend_days)  # a day listed as both is worked, as is_working_day says
    return count + len(extra_working) - len(days_off)
