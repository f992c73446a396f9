"""Working days over a hand-made calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from appeals.workdays import add_working_days, is_working_day

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
