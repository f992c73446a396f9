"""The Main Department's reports page (regulation 3.5.2) and its CSV and XLSX exports.
Supervisors see everything; a department head their department and its sub-departments;
nobody else."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from appeals import access, terms
from appeals.models import Department

from . import charts, exports, queries
from .forms import ReportFilterForm


def _scope(request: HttpRequest) -> tuple[ReportFilterForm, queries.Scope | None, bool]:
    if not request.user.has_perm("reports.view_reports"):
        raise PermissionDenied
    allowed = access.report_department_ids(request.user)
    departments = Department.objects.all() if allowed is None else Department.objects.filter(pk__in=allowed)
    form = ReportFilterForm(request.GET or None, departments=departments)
    if not form.is_bound:
        form = ReportFilterForm({}, departments=departments)
    if not form.is_valid():
        return form, None, allowed is None
    chosen = form.cleaned_data["department"]
    ids = access.department_tree_ids(chosen) if chosen is not None else allowed
    return form, queries.Scope(form.cleaned_data["date_from"], form.cleaned_data["date_to"], ids), allowed is None


@require_safe
@never_cache
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, scope, sees_lookups = _scope(request)
    if scope is None:
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    received = queries.breakdown(scope)
    statuses = queries.by_status(scope, received)
    on_time = queries.on_time(scope)
    punctuality = queries.on_time_by_month(scope, on_time)
    context = {
        "form": form,
        "scope": scope,
        "by_department": queries.volumes(scope, by="department", rows=received),
        "by_channel": queries.volumes(scope, by="channel", rows=received),
        "answer_times": queries.answer_times(scope),
        "on_time": on_time,
        "lists": queries.action_lists(scope, rows=DASHBOARD_ROWS),
        "due_soon_title": terms.due_soon_title(),
        "forwarding_days": settings.APPEALS_FORWARDING_WORKING_DAYS,
        "notice_days": settings.APPEALS_NON_CONSIDERATION_NOTICE_WORKING_DAYS,
        "query": request.GET.urlencode(),
        "workload": queries.workload(scope),
        "legal_terms": queries.legal_terms(scope),
        "statuses": statuses,
        "status_chart": charts.bar_chart(
            title=_("Letters by status"),
            description=_("Letters received in the period, by their status now."),
            bars=[charts.Bar(row["name"], row["count"], str(row["count"])) for row in statuses],
        ),
        "on_time_chart": charts.bar_chart(
            title=_("Answered on time, by month"),
            description=_("Share of letters answered by their due date, per month of answer."),
            bars=[
                charts.Bar(row["month"].strftime("%m.%Y"), row["rate"], f"{row['rate']} %", "good")
                for row in punctuality
            ],
            maximum=100,
        ),
        "punctuality": punctuality,
        "sees_lookups": sees_lookups,
    }
    if sees_lookups:
        daily = queries.lookups(scope)
        context["lookups"] = daily
        total = sum(day["total"] for day in daily)
        context["lookup_error_share"] = round(100 * sum(day["errors"] for day in daily) / total) if total else 0
        context["lookup_chart"] = charts.column_chart(
            title=_("Lookups per day"),
            description=_("All lookups per day; the lower part of each column is those that ended in an error."),
            columns=[(day["day"].strftime("%d.%m"), day["total"], day["errors"]) for day in daily],
        )
    return render(request, "reports/dashboard.html", context)


DASHBOARD_ROWS = 10
LIST_PAGE_SIZE = 50
LIST_TITLES = {
    queries.OVERDUE: _lazy("Overdue now"),
    queries.DUE_SOON: terms.due_soon_title,  # counts the setting's days when asked
    queries.UNDECIDED: _lazy("Not yet assigned after the forwarding term (art. 7.10)"),
}


@require_safe
@never_cache
@login_required
def letter_list(request: HttpRequest, which: str) -> HttpResponse:
    """One action list (overdue now, due soon, undecided) in full, a page at a time, for the
    departments the filter and the user's role allow."""
    if which not in queries.LISTS:
        raise Http404
    form, scope, _sees_lookups = _scope(request)
    if scope is None:
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    page = Paginator(queries.letter_list(scope, which), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    if which == queries.OVERDUE:
        queries.with_days_late(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    title = LIST_TITLES[which]
    context = {"form": form, "which": which, "title": title() if callable(title) else title, "page": page}
    context["query"] = query.urlencode()
    return render(request, "reports/letters.html", context)


def _tables(scope: queries.Scope, sees_lookups: bool) -> dict:
    def volumes(by):
        return (
            [_("Name"), _("Received"), _("Answered"), _("Open"), _("Overdue")],
            [[r["name"], r["received"], r["answered"], r["open"], r["overdue"]] for r in queries.volumes(scope, by=by)],
        )

    def overdue():
        late, _soon = queries.overdue_and_due_soon(scope)
        return (
            [_("Registration number"), _("Department"), _("Executor"), _("Due date"), _("Working days late")],
            [
                [
                    le.registration_number,
                    le.department.name if le.department else "",
                    str(le.executor or ""),
                    le.due_date,
                    le.days_late,
                ]
                for le in late
            ],
        )

    tables = {
        "departments": lambda: volumes("department"),
        "channels": lambda: volumes("channel"),
        "answer-times": lambda: (
            [_("Department"), _("Answered"), _("Median working days"), _("90th percentile")],
            [
                [r["name"], r["answered"], round(r["median"], 1), round(r["p90"], 1)]
                for r in queries.answer_times(scope)
            ],
        ),
        "on-time": lambda: (
            [_("Month"), _("Department"), _("Answered"), _("On time"), _("On-time rate, %")],
            [
                [r["month"].strftime("%Y-%m"), r["name"], r["answered"], r["on_time"], r["rate"]]
                for r in queries.on_time(scope)
            ],
        ),
        "legal-terms": lambda: (
            [
                _("Department"),
                _("Term"),
                _("Article"),
                _("Ended so"),
                _("On time"),
                _("Late"),
                _("On-time rate, %"),
                _("Extended"),
            ],
            [
                [
                    r["name"],
                    str(r["term"].label),
                    r["term"].article,
                    r["ended"],
                    r["on_time"],
                    r["late"],
                    r["rate"],
                    r["extended"],
                ]
                for r in queries.legal_terms(scope)
            ],
        ),
        "overdue": overdue,
        "workload": lambda: (
            [_("Executor"), _("Department"), _("Open letters"), _("Overdue")],
            [[r["name"], r["department"], r["open"], r["overdue"]] for r in queries.workload(scope)],
        ),
    }
    if sees_lookups:
        tables["lookups"] = lambda: (
            [
                _("Day"),
                _("Total"),
                _("Found"),
                _("Not registered"),
                _("Typo"),
                _("Malformed"),
                _("Empty"),
                _("Rate-limited"),
                _("Web"),
                _("API"),
                _("Errors, %"),
            ],
            [
                [
                    d["day"],
                    d["total"],
                    d["found"],
                    d["not_found"],
                    d["checksum"],
                    d["malformed"],
                    d["empty"],
                    d["rate_limited"],
                    d["web"],
                    d["api"],
                    d["error_share"],
                ]
                for d in queries.lookups(scope)
            ],
        )
    return tables


@require_safe
@never_cache
@login_required
def export(request: HttpRequest, table: str, file_format: str) -> HttpResponse:
    """A table of the page as CSV or XLSX (reports/exports.py), for the same people and scope."""
    form, scope, sees_lookups = _scope(request)
    if scope is None:
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    tables = _tables(scope, sees_lookups)
    if table not in tables:
        raise Http404
    header, rows = tables[table]()
    if file_format == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(table, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.csv_text(header, rows), content_type="text/csv; charset=utf-8")
    filename = f"dgk-{table}-{scope.date_from}-{scope.date_to}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
