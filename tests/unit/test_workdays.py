"""Working days over a hand-made calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appeals.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


def test_weekends_are_skipped():
    # Friday 6 March 2026 + 1 working day = Monday 9 March.
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 2), 15) == D(2026, 3, 23)


def test_zero_days_is_the_same_day():
    assert add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)


def test_holidays_are_skipped_and_transferred_working_days_count():
    novruz = {D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24), D(2026, 3, 25), D(2026, 3, 26)}
    assert add_working_days(D(2026, 3, 19), 1, holidays=novruz) == D(2026, 3, 27)
    saturday = D(2026, 3, 28)
    assert add_working_days(D(2026, 3, 27), 1, holidays=novruz, working_weekend_days={saturday}) == saturday


def test_year_boundary():
    new_year = {D(2026, 1, 1), D(2026, 1, 2)}
    assert add_working_days(D(2025, 12, 31), 1, holidays=new_year) == D(2026, 1, 5)


def test_is_working_day():
    assert is_working_day(D(2026, 3, 2))
    assert not is_working_day(D(2026, 3, 7))
    assert not is_working_day(D(2026, 3, 2), holidays={D(2026, 3, 2)})


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 2), -1)


def _counted_day_by_day(start, end, holidays, working_weekend_days) -> int:
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day, holidays=holidays, working_weekend_days=working_weekend_days)
    return count


days_2026 = st.dates(min_value=D(2025, 11, 1), max_value=D(2027, 3, 1))


@settings(max_examples=400, deadline=None)
@given(
    start=days_2026,
    end=days_2026,
    holidays=st.frozensets(days_2026, max_size=25),
    working_weekend_days=st.frozensets(days_2026, max_size=6),
)
def test_counting_working_days_agrees_with_walking_the_calendar(start, end, holidays, working_weekend_days):
    assert working_days_between(
        start, end, holidays=holidays, working_weekend_days=working_weekend_days
    ) == _counted_day_by_day(start, end, holidays, working_weekend_days)


@settings(max_examples=300, deadline=None)
@given(start=days_2026, days=st.integers(min_value=0, max_value=60), holidays=st.frozensets(days_2026, max_size=25))
def test_adding_n_working_days_and_counting_them_back_agree(start, days, holidays):
    end = add_working_days(start, days, holidays=holidays)
    assert working_days_between(start, end, holidays=holidays) == days


def test_an_answer_after_novruz_counts_the_working_days_only():
    novruz = {D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24), D(2026, 3, 25), D(2026, 3, 26)}
    # Thursday 19 March to Monday 30 March: 27 and 30 March are the working days.
    assert working_days_between(D(2026, 3, 19), D(2026, 3, 30), holidays=novruz) == 2
