"""The figures of the reports page, computed in the database. Each function takes the scope
(which departments, which dates) and returns plain rows the page, the charts and the CSV
exports all use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import terms
from appeals.models import Department, Executor, Letter, LookupLog, LookupOutcome, WorkingCalendar, overdue_q
from appeals.statuses import OPEN, OPEN_LIST, Status

from .models import LookupDailySummary

LIST_LIMIT = 200


@dataclass(frozen=True)
class Scope:
    date_from: dt.date
    date_to: dt.date
    department_ids: list[int] | None  # None: every department


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra) -> None:
        super().__init__(expression, fraction=fraction, **extra)


def _letters(scope: Scope) -> QuerySet[Letter]:
    letters = Letter.objects.all()
    if scope.department_ids is not None:
        letters = letters.filter(department_id__in=scope.department_ids)
    return letters


def _received(scope: Scope) -> QuerySet[Letter]:
    return _letters(scope).filter(received_on__gte=scope.date_from, received_on__lte=scope.date_to)


def _department_names() -> dict[int | None, str]:
    return {department.pk: department.name for department in Department.objects.all()}


def breakdown(scope: Scope) -> list[dict]:
    """Letters received in the period counted by department, channel and status in one pass,
    with how many of them are overdue: the volumes by department, by channel and by status
    are all sums of these few rows."""
    today = timezone.localdate()
    return list(
        _received(scope)
        .values("department", "channel", "status")
        .annotate(count=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    )


def volumes(scope: Scope, *, by: str, rows: list[dict] | None = None) -> list[dict]:
    """Letters received in the period, and how many of them are answered, open and overdue,
    by department (``by="department"``) or by channel (``by="channel"``)."""
    totals: dict = {}
    for row in breakdown(scope) if rows is None else rows:
        entry = totals.setdefault(row[by], {by: row[by], "received": 0, "answered": 0, "open": 0, "overdue": 0})
        entry["received"] += row["count"]
        entry["answered"] += row["count"] if row["status"] == Status.ANSWERED else 0
        entry["open"] += row["count"] if row["status"] in OPEN else 0
        entry["overdue"] += row["overdue"]
    names = _department_names() if by == "department" else dict(Letter._meta.get_field("channel").choices)
    unassigned = str(_("not yet assigned"))
    ordered = sorted(totals.values(), key=lambda entry: (entry[by] is None, str(entry[by])))
    return [
        {**entry, "name": names.get(entry[by], unassigned) if entry[by] is not None else unassigned}
        for entry in ordered
    ]


def by_status(scope: Scope, rows: list[dict] | None = None) -> list[dict]:
    counts: dict[str, int] = {}
    for row in breakdown(scope) if rows is None else rows:
        counts[row["status"]] = counts.get(row["status"], 0) + row["count"]
    return [{"status": status.value, "name": str(status.label), "count": counts.get(status, 0)} for status in Status]


def answer_times(scope: Scope) -> list[dict]:
    """Median and 90th percentile of working days from registration to answer, for letters
    answered in the period, by department."""
    answered = _letters(scope).filter(
        status=Status.ANSWERED,
        closed_on__gte=scope.date_from,
        closed_on__lte=scope.date_to,
        answer_working_days__isnull=False,
    )
    names = _department_names()
    if connection.vendor == "postgresql":
        rows = (
            answered.values("department")
            .annotate(
                answered=Count("pk"),
                median=PercentileCont("answer_working_days", 0.5),
                p90=PercentileCont("answer_working_days", 0.9),
            )
            .order_by("department")
        )
        return [{**row, "name": names.get(row["department"], "—")} for row in rows]
    # SQLite (development) has no percentile_cont: the same figures, computed here.
    grouped: dict[int | None, list[int]] = {}
    for department, days in answered.values_list("department", "answer_working_days"):
        grouped.setdefault(department, []).append(days)
    return [
        {
            "department": department,
            "name": names.get(department, "—"),
            "answered": len(days),
            "median": _percentile(sorted(days), 0.5),
            "p90": _percentile(sorted(days), 0.9),
        }
        for department, days in sorted(grouped.items(), key=lambda item: item[0] or 0)
    ]


def _percentile(ordered: list[int], fraction: float) -> float:
    """Linear interpolation, as PostgreSQL's percentile_cont."""
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def on_time(scope: Scope) -> list[dict]:
    """Answered letters by department and month of answer, and how many by their due date."""
    rows = (
        _letters(scope)
        .filter(status=Status.ANSWERED, closed_on__gte=scope.date_from, closed_on__lte=scope.date_to)
        .annotate(month=TruncMonth("closed_on"))
        .values("department", "month")
        .annotate(answered=Count("pk"), on_time=Count("pk", filter=Q(closed_on__lte=F("due_date"))))
        .order_by("month", "department")
    )
    names = _department_names()
    return [
        {
            **row,
            "name": names.get(row["department"], "—"),
            "rate": round(100 * row["on_time"] / row["answered"]) if row["answered"] else None,
        }
        for row in rows
    ]


def on_time_by_month(scope: Scope, rows: list[dict] | None = None) -> list[dict]:
    months: dict[dt.date, list[int]] = {}
    for row in on_time(scope) if rows is None else rows:
        totals = months.setdefault(row["month"], [0, 0])
        totals[0] += row["answered"]
        totals[1] += row["on_time"]
    return [
        {"month": month, "answered": answered, "on_time": punctual, "rate": round(100 * punctual / answered)}
        for month, (answered, punctual) in sorted(months.items())
    ]


def overdue_and_due_soon(scope: Scope) -> tuple[list[Letter], list[Letter]]:
    """Open letters past their due date today, whatever their registration date (with the
    working days they are late, as the terms are counted), and those due within the next 3
    working days: the first LIST_LIMIT of each (the alert and the export)."""
    overdue = with_days_late(list(letter_list(scope, OVERDUE)[:LIST_LIMIT]))
    return overdue, list(letter_list(scope, DUE_SOON)[:LIST_LIMIT])


OVERDUE, DUE_SOON, UNDECIDED = "overdue", "due-soon", "undecided"
LISTS = (OVERDUE, DUE_SOON, UNDECIDED)


def letter_list(scope: Scope, which: str) -> QuerySet[Letter]:
    """The letters of one of the action lists, in the scope's departments, as of today (the
    period does not apply: a letter is late now whenever it was registered)."""
    today = timezone.localdate()
    letters = _letters(scope).select_related("department", "executor")
    if which == OVERDUE:
        return letters.overdue(today).order_by("due_date", "pk")
    if which == DUE_SOON:
        return letters.due_soon(today).order_by("due_date", "pk")
    return letters.filter(status=Status.REGISTERED, forwarding_due__lt=today).order_by("forwarding_due", "pk")


def action_lists(scope: Scope, *, rows: int) -> dict[str, dict]:
    """For the dashboard: each action list's total and its first ``rows`` letters."""
    result = {}
    for which in LISTS:
        letters = letter_list(scope, which)
        first = list(letters[:rows])
        result[which] = {"count": letters.count(), "letters": with_days_late(first) if which == OVERDUE else first}
    return result


def with_days_late(letters: list[Letter]) -> list[Letter]:
    """Each overdue letter with how many working days it is late (one calendar read)."""
    today = timezone.localdate()
    if letters:
        calendar = WorkingCalendar.load(min(letter.due_date for letter in letters), today, with_years=False)
        for letter in letters:
            letter.days_late = calendar.working_days_between(letter.due_date, today)
    return letters


def undecided_after_forwarding_term(scope: Scope) -> list[Letter]:
    """Letters still only registered after the forwarding term (art. 7.10: 3 working days):
    nobody has decided yet whether the Committee examines them or forwards them."""
    return list(letter_list(scope, UNDECIDED)[:LIST_LIMIT])


def legal_terms(scope: Scope) -> list[dict]:
    """For letters that ended in the period, by department and by term (terms.py): how many
    ended the way the term is about, and how many of them by its day; and how many were
    extended (art. 10.2)."""
    aggregates = {"extended": Count("pk", filter=Q(original_due_date__isnull=False))}
    for term in terms.TERMS:
        aggregates[f"{term.code}_ended"] = Count("pk", filter=terms.ended_q(term))
        aggregates[f"{term.code}_kept"] = Count("pk", filter=terms.kept_q(term))
    rows = (
        _letters(scope)
        .filter(closed_on__gte=scope.date_from, closed_on__lte=scope.date_to)
        .values("department")
        .annotate(**aggregates)
        .order_by("department")
    )
    names = _department_names()
    result = []
    for row in rows:
        for term in terms.TERMS:
            ended, kept = row[f"{term.code}_ended"], row[f"{term.code}_kept"]
            result.append(
                {
                    "department": row["department"],
                    "name": names.get(row["department"], "—"),
                    "term": term,
                    "ended": ended,
                    "on_time": kept,
                    "late": ended - kept,
                    "rate": round(100 * kept / ended) if ended else None,
                    # Extensions (art. 10.2) lengthen the examination term only.
                    "extended": row["extended"] if term is terms.EXAMINATION else None,
                }
            )
    return result


def workload(scope: Scope) -> list[dict]:
    rows = (
        _letters(scope)
        .filter(status__in=OPEN_LIST, executor__isnull=False)
        .values("executor")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(timezone.localdate())))
        .order_by("-open")[:LIST_LIMIT]
    )
    executors = Executor.objects.select_related("department").in_bulk([row["executor"] for row in rows])
    return [
        {**row, "name": executors[row["executor"]].full_name, "department": executors[row["executor"]].department.name}
        for row in rows
    ]


ERROR_OUTCOMES = {LookupOutcome.EMPTY, LookupOutcome.MALFORMED, LookupOutcome.CHECKSUM, LookupOutcome.NOT_FOUND}


def lookups(scope: Scope) -> list[dict]:
    """Lookups per day by outcome and channel. Finished days come from the daily summary; the
    days it does not have yet (today, or before the first summary run) from the log itself."""
    summarised = LookupDailySummary.objects.filter(day__gte=scope.date_from, day__lte=scope.date_to)
    counts: dict[tuple[dt.date, str, str], int] = {(row.day, row.channel, row.outcome): row.count for row in summarised}
    covered = {day for day, _channel, _outcome in counts}
    missing = [day for day in _days(scope) if day not in covered]
    if missing:
        start = timezone.make_aware(dt.datetime.combine(min(missing), dt.time.min))
        end = timezone.make_aware(dt.datetime.combine(max(missing) + dt.timedelta(days=1), dt.time.min))
        live = (
            LookupLog.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
            .annotate(day=TruncDate("occurred_at"))
            .values("day", "channel", "outcome")
            .annotate(count=Count("pk"))
        )
        for row in live:
            if row["day"] not in covered:
                counts[(row["day"], row["channel"], row["outcome"])] = row["count"]
    days: dict[dt.date, dict] = {}
    for (day, channel, outcome), number in counts.items():
        entry = days.setdefault(
            day, {"day": day, "total": 0, "errors": 0, "web": 0, "api": 0, **{o: 0 for o in LookupOutcome.values}}
        )
        entry["total"] += number
        entry[outcome] = entry.get(outcome, 0) + number
        entry[channel] = entry.get(channel, 0) + number
        if outcome in ERROR_OUTCOMES:
            entry["errors"] += number
    for entry in days.values():
        entry["error_share"] = round(100 * entry["errors"] / entry["total"]) if entry["total"] else 0
    return [days[day] for day in sorted(days)]


def _days(scope: Scope) -> list[dt.date]:
    last = min(scope.date_to, timezone.localdate())
    return [scope.date_from + dt.timedelta(days=n) for n in range((last - scope.date_from).days + 1)]


def summarise_lookups(day: dt.date) -> int:
    """(Re)compute the summary of one finished day; safe to run again. Returns its row count."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    rows = (
        LookupLog.objects.filter(occurred_at__gte=start, occurred_at__lt=start + dt.timedelta(days=1))
        .values("channel", "outcome")
        .annotate(count=Count("pk"))
    )
    summaries = [
        LookupDailySummary(day=day, channel=r["channel"], outcome=r["outcome"], count=r["count"]) for r in rows
    ]
    LookupDailySummary.objects.filter(day=day).delete()
    LookupDailySummary.objects.bulk_create(summaries)
    return len(summaries)
