"""Azerbaijan's non-working days as the ``holidays`` package generates them: the fixed holidays,
Novruz, and Ramazan and Qurban bayramı by the lunar calendar (estimated until the Cabinet of
Ministers fixes them, Labour Code art. 105.4), with the rest day moved to the next working day
when a holiday falls on a weekend or on another holiday (art. 105.5–105.6). Only weekdays are
returned: a weekend day is off anyway. Staff confirm or correct each year in the admin; what
they enter wins. The Cabinet's swaps of working days (art. 105.7) are not in the package: staff
enter them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib.metadata import version

import holidays

SOURCE = f"holidays {version('holidays')} (Azerbaijan)"


@dataclass(frozen=True)
class GeneratedDay:
    date: dt.date
    name: str  # in Azerbaijani, as the calendar shows it to staff
    estimated: bool  # a lunar feast (or its moved rest day) not yet fixed by the Cabinet


def days_off(year: int) -> list[GeneratedDay]:
    named = holidays.country_holidays("AZ", years=year, language="az")
    # The English names say which dates are estimates ("(estimated)"); the Azerbaijani ones
    # spell it "təxmini", but the English marker is the package's stable wording.
    english = holidays.country_holidays("AZ", years=year, language="en_US")
    return [
        # The package spells two feasts "bayrami"; Azerbaijani has "bayramı".
        GeneratedDay(date=day, name=named[day].replace("bayrami", "bayramı"), estimated="estimated" in english[day])
        for day in sorted(named)
        if day.weekday() < 5
    ]
