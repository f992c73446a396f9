"""The Committee's working calendar: the days that differ from the ordinary week, kept by staff,
and the terms counted over them with the pure arithmetic of workdays.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import workdays


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Day off (public holiday or transferred day off)")
    WORKING_DAY = "working_day", _("Working day (transferred from a weekend)")


class CalendarDay(models.Model):
    """A day that differs from the ordinary week: a public holiday, or a weekend day worked.
    Azerbaijani holidays such as Novruz, Ramazan and Qurban move every year, so they are data."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=HolidayKind.choices, default=HolidayKind.HOLIDAY)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("holiday or transferred day")
        verbose_name_plural = _("holiday calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.name}"


@dataclass(frozen=True)
class WorkingCalendar:
    """The Committee's days off and worked weekend days, read once for many computations."""

    holidays: frozenset[dt.date]
    working_weekend_days: frozenset[dt.date]
    # Answers already worked out: an import asks for the same few hundred dates again and again.
    _known: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

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
        key = ("add", start, days)
        if key not in self._known:
            self._known[key] = workdays.add_working_days(
                start, days, holidays=self.holidays, working_weekend_days=self.working_weekend_days
            )
        return self._known[key]

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        return workdays.working_days_between(
            start, end, holidays=self.holidays, working_weekend_days=self.working_weekend_days
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


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` to ``end`` on the Committee's calendar (answer times)."""
    return WorkingCalendar.load(start, end).working_days_between(start, end)


def due_soon_until(today: dt.date) -> dt.date:
    """The last day that counts as "due soon" seen from ``today``: the working days of
    ``APPEALS_DUE_SOON_WORKING_DAYS`` (3) ahead. The admin filter, the reports and the heads'
    alerts all use this, through ``LetterQuerySet.due_soon``."""
    return add_working_days(today, settings.APPEALS_DUE_SOON_WORKING_DAYS)
