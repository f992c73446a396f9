"""The Committee's working calendar: the days that differ from the ordinary week, kept by staff
year by year (generated from the ``holidays`` package, then confirmed against the Cabinet's
decision), and the legal terms counted over them with the pure arithmetic of workdays.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
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
    estimated = models.BooleanField(
        _("estimated"),
        default=False,
        help_text=_(
            "A movable feast's date as the generator estimates it, until the Cabinet's decision is entered. "
            "A day saved by staff is no longer an estimate."
        ),
    )

    class Meta:
        verbose_name = _("holiday or transferred day")
        verbose_name_plural = _("holiday calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.name}"

    def clean(self) -> None:
        """A day off on a weekend changes nothing (the Labour Code moves it to the next working
        day, art. 105.5: enter that day), and only a weekend day can be made a working day."""
        if self.date is None:
            return
        weekend = self.date.weekday() >= 5
        if self.kind == HolidayKind.HOLIDAY and weekend:
            raise ValidationError(
                {
                    "date": _(
                        "%(date)s is a weekend day, already a day off. When a holiday falls on a weekend, "
                        "enter the working day the rest day moves to (Labour Code, art. 105.5)."
                    )
                    % {"date": f"{self.date:%d.%m.%Y}"}
                }
            )
        if self.kind == HolidayKind.WORKING_DAY and not weekend:
            raise ValidationError(
                {
                    "date": _("%(date)s is a weekday, already a working day: only a weekend day can be made one.")
                    % {"date": f"{self.date:%d.%m.%Y}"}
                }
            )


class CalendarYear(models.Model):
    """Whether a year's days off are known: *estimated* while they come from the generator (the
    movable feasts guessed), *confirmed* once staff have entered and checked the Cabinet's
    decision (Labour Code, art. 105.4: due by the end of December of the year before). A term
    that ends in a year that is estimated or missing is provisional."""

    year = models.PositiveSmallIntegerField(
        _("year"), primary_key=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("Where the days come from, e.g. the Cabinet's decision.")
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


def first_counted_after(received_on: dt.date) -> dt.date:
    """The day a term counts from, exclusive: by default the term starts on the working day
    after registration (the law does not say; APPEALS_TERM_COUNTS_REGISTRATION_DAY turns the
    registration day itself, when it is a working day, into the first day of the term)."""
    if settings.APPEALS_TERM_COUNTS_REGISTRATION_DAY:
        return received_on - dt.timedelta(days=1)
    return received_on


def counting_over_q(days) -> models.Q:
    """Letters whose terms count over one of ``days``: registered before the day (or on it,
    when the registration day counts) and due on or after it. The recomputation and the
    warning before a day is deleted use this."""
    lookup = "received_on__lte" if settings.APPEALS_TERM_COUNTS_REGISTRATION_DAY else "received_on__lt"
    crossing = models.Q(pk__in=[])
    for day in days:
        crossing |= models.Q(**{lookup: day, "due_date__gte": day})
    return crossing


@dataclass(frozen=True)
class LegalTerms:
    """The terms the law sets from a letter's registration, all in working days: examination
    (15, or 30 with additional study; art. 10.1), forwarding to the competent body (3; art.
    7.10) and telling the applicant why a letter is left without consideration (5; art. 8).
    ``provisional``: the examination term ends in a year whose calendar is not confirmed."""

    due_date: dt.date
    forwarding_due: dt.date
    notice_due: dt.date
    provisional: bool


@dataclass(frozen=True)
class WorkingCalendar:
    """The Committee's days off and worked weekend days, read once for many computations."""

    holidays: frozenset[dt.date]
    working_weekend_days: frozenset[dt.date]
    confirmed_years: frozenset[int] = frozenset()
    # The first year the calendar is kept for: years before it are history, never "to be confirmed".
    first_year: int | None = None
    # Answers already worked out: an import asks for the same few hundred dates again and again.
    _known: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def load(
        cls, start: dt.date | None = None, end: dt.date | None = None, *, with_years: bool = True
    ) -> WorkingCalendar:
        """The days between ``start`` (exclusive) and ``end``; ``with_years`` also reads which
        years are confirmed (for provisional due dates; counting days does not need it)."""
        special = _special_days(start, end)
        return cls(
            holidays=frozenset(day for day, kind in special if kind == HolidayKind.HOLIDAY),
            working_weekend_days=frozenset(day for day, kind in special if kind == HolidayKind.WORKING_DAY),
            confirmed_years=frozenset(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))
            if with_years
            else frozenset(),
            first_year=CalendarYear.objects.order_by("year").values_list("year", flat=True).first()
            if with_years
            else None,
        )

    def is_provisional(self, start: dt.date, end: dt.date) -> bool:
        """Whether a term counted after ``start`` up to ``end`` crosses a year whose days off
        are not confirmed (estimated or missing)."""
        first = (start + dt.timedelta(days=1)).year
        if self.first_year is not None:
            first = max(first, self.first_year)  # years before the calendar began are history
        return any(year not in self.confirmed_years for year in range(first, end.year + 1))

    def terms_for(self, received_on: dt.date, *, needs_additional_study: bool = False) -> LegalTerms:
        start = first_counted_after(received_on)
        term = (
            settings.APPEALS_EXTENDED_TERM_WORKING_DAYS
            if needs_additional_study
            else settings.APPEALS_TERM_WORKING_DAYS
        )
        due = self.add_working_days(start, term)
        return LegalTerms(
            due_date=due,
            forwarding_due=self.add_working_days(start, settings.APPEALS_FORWARDING_WORKING_DAYS),
            notice_due=self.add_working_days(start, settings.APPEALS_NON_CONSIDERATION_NOTICE_WORKING_DAYS),
            provisional=self.is_provisional(start, due),
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
    return _window(start, days).add_working_days(start, days)


def _window(start: dt.date, days: int) -> WorkingCalendar:
    # A generous window: no run of holidays pushes the result past it.
    return WorkingCalendar.load(start, start + dt.timedelta(days=days * 3 + 60))


def legal_terms(
    *, received_on: dt.date, needs_additional_study: bool = False, calendar: WorkingCalendar | None = None
) -> LegalTerms:
    """Every term the law counts from registration, on the Committee's calendar: the one
    function registration, the import, an extension and a corrected calendar all use."""
    calendar = calendar or _window(first_counted_after(received_on), settings.APPEALS_EXTENDED_TERM_WORKING_DAYS)
    return calendar.terms_for(received_on, needs_additional_study=needs_additional_study)


def _special_days(start: dt.date | None, end: dt.date | None) -> list[tuple[dt.date, str]]:
    """The calendar's days (date, kind) after ``start`` up to ``end``. A plain statement: a
    lookup of an overdue letter reads it, and the ORM's query building cost it 0.4 ms of CPU."""
    table, where, params = CalendarDay._meta.db_table, [], []
    if start:
        where.append("date > %s")
        params.append(start)
    if end:
        where.append("date <= %s")
        params.append(end)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT date, kind FROM {table}" + (f" WHERE {' AND '.join(where)}" if where else ""), params)
        rows = cursor.fetchall()
    # SQLite gives dates back as text.
    return [(dt.date.fromisoformat(day) if isinstance(day, str) else day, kind) for day, kind in rows]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` to ``end`` on the Committee's calendar (days late): one query."""
    return WorkingCalendar.load(start, end, with_years=False).working_days_between(start, end)


def working_days_taken(received_on: dt.date, closed_on: dt.date, calendar: WorkingCalendar | None = None) -> int:
    """The working days a letter took, counted as its terms are (first_counted_after)."""
    start = first_counted_after(received_on)
    calendar = calendar or WorkingCalendar.load(start, closed_on)
    return calendar.working_days_between(start, closed_on)


def due_soon_until(today: dt.date) -> dt.date:
    """The last day that counts as "due soon" seen from ``today``: the working days of
    ``APPEALS_DUE_SOON_WORKING_DAYS`` (3) ahead. The admin filter, the reports and the heads'
    alerts all use this, through ``LetterQuerySet.due_soon``."""
    return add_working_days(today, settings.APPEALS_DUE_SOON_WORKING_DAYS)


def unconfirmed_years(today: dt.date) -> list[int]:
    """The years administrators must see to: this year while it is not confirmed, and next year
    from APPEALS_CALENDAR_WARNING_MONTH (November) on, while the Cabinet's decision is not
    entered and confirmed. The admin banner and the daily e-mail both ask this."""
    years = [today.year]
    if today.month >= settings.APPEALS_CALENDAR_WARNING_MONTH:
        years.append(today.year + 1)
    confirmed = set(CalendarYear.objects.filter(year__in=years, confirmed=True).values_list("year", flat=True))
    return [year for year in years if year not in confirmed]
