"""The reports page against a small fixture counted by hand."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from appeals import services
from appeals.models import LookupLog
from appeals.roles import Role
from appeals.statuses import Status
from reports import queries
from reports.models import LookupDailySummary, OverdueAlert
from tests.factories import DepartmentFactory, ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)  # a Monday


@pytest.fixture(autouse=True)
def _fixed_today():
    from django.utils import translation

    with mock.patch("django.utils.timezone.localdate", return_value=TODAY), translation.override("en"):
        yield


@pytest.fixture
def fixture(make_staff):
    """Customs (with a sub-department) and Legal.
    Customs: 3 letters in May — one answered on time, one answered late, one open and overdue.
    Sub-department: 1 open letter due soon. Legal: 1 answered letter."""
    from appeals.models import CalendarDay

    CalendarDay.objects.all().delete()
    customs = DepartmentFactory(code="CUST", name_en="Customs")
    sub = DepartmentFactory(code="CUST-1", name_en="Customs Post 1", parent=customs)
    legal = DepartmentFactory(code="LEGAL", name_en="Legal")
    aygun = ExecutorFactory(department=customs, full_name="Məmmədova Aygün")
    rashad = ExecutorFactory(department=sub, full_name="Həsənov Rəşad")
    nigar = ExecutorFactory(department=legal, full_name="Quliyeva Nigar")

    def answered(executor, received, closed, channel="post"):
        letter = LetterFactory(executor=executor, received_on=received, channel=channel)
        letter = services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
        with mock.patch("django.utils.timezone.localdate", return_value=closed):
            return services.change_status(letter=letter, to_status=Status.ANSWERED, answer_channel="post")

    on_time = answered(aygun, dt.date(2026, 5, 4), dt.date(2026, 5, 15))  # due 25.05, 9 working days
    late = answered(aygun, dt.date(2026, 5, 4), dt.date(2026, 6, 1))  # due 25.05, 20 working days
    overdue = LetterFactory(executor=aygun, received_on=dt.date(2026, 5, 11))  # due 01.06
    soon = LetterFactory(executor=rashad, received_on=dt.date(2026, 5, 26), channel="electronic")  # due 16.06
    legal_letter = answered(nigar, dt.date(2026, 5, 5), dt.date(2026, 5, 8))  # 3 working days
    head = make_staff(Role.DEPARTMENT_HEAD)
    ExecutorFactory(department=customs, full_name="Nəsirov Elnur", user=head)
    return {
        "on_time": on_time,
        "late": late,
        "overdue": overdue,
        "soon": soon,
        "legal": legal_letter,
        "customs": customs,
        "legal_department": legal,
        "head": head,
        "supervisor": make_staff(Role.SUPERVISOR),
    }


def scope(**kwargs):
    return queries.Scope(dt.date(2026, 5, 1), dt.date(2026, 6, 15), kwargs.get("departments"))


def test_volumes_by_department_match_a_hand_count(fixture):
    rows = {row["name"]: row for row in queries.volumes(scope(), by="department")}
    assert (rows["Customs"]["received"], rows["Customs"]["answered"], rows["Customs"]["open"]) == (3, 2, 1)
    assert rows["Customs"]["overdue"] == 1
    assert (rows["Customs Post 1"]["received"], rows["Customs Post 1"]["overdue"]) == (1, 0)
    assert (rows["Legal"]["received"], rows["Legal"]["answered"]) == (1, 1)
    channels = {row["channel"]: row["received"] for row in queries.volumes(scope(), by="channel")}
    assert channels == {"post": 3, "electronic": 2}  # the overdue and the due-soon letter came electronically


def test_answer_times_median_and_p90(fixture):
    rows = {row["name"]: row for row in queries.answer_times(scope())}
    assert fixture["on_time"].answer_working_days == 9
    assert fixture["late"].answer_working_days == 20
    assert rows["Customs"]["answered"] == 2
    assert rows["Customs"]["median"] == pytest.approx(14.5)
    assert rows["Customs"]["p90"] == pytest.approx(18.9)
    assert rows["Legal"]["median"] == pytest.approx(3)


def test_on_time_rate_by_department_and_month(fixture):
    rows = {(row["name"], row["month"].month): row for row in queries.on_time(scope())}
    assert (rows[("Customs", 5)]["answered"], rows[("Customs", 5)]["rate"]) == (1, 100)
    assert (rows[("Customs", 6)]["answered"], rows[("Customs", 6)]["rate"]) == (1, 0)
    assert rows[("Legal", 5)]["rate"] == 100


def test_overdue_and_due_soon_lists(fixture):
    overdue, soon = queries.overdue_and_due_soon(scope())
    assert [letter.pk for letter in overdue] == [fixture["overdue"].pk]
    # Late in working days, as terms are counted: 2–5 June and 8–12 June, then Monday 15 June
    # (no holidays in this calendar), not the 14 calendar days.
    assert overdue[0].days_late == 10
    assert [letter.pk for letter in soon] == [fixture["soon"].pk]


def test_workload(fixture):
    rows = {row["name"]: row["open"] for row in queries.workload(scope())}
    assert rows == {"Məmmədova Aygün": 1, "Həsənov Rəşad": 1}


def test_lookups_per_day_from_the_summary_and_the_live_log(fixture):
    def log(day, outcome, channel="web"):
        LookupLog.objects.create(
            outcome=outcome,
            language="az",
            channel=channel,
            occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
        )

    yesterday = TODAY - dt.timedelta(days=1)
    for outcome in ("found", "found", "checksum", "not_found"):
        log(yesterday, outcome)
    log(yesterday, "found", "api")
    queries.summarise_lookups(yesterday)
    queries.summarise_lookups(yesterday)  # twice: nothing doubles
    LookupLog.objects.all().delete()  # the summary now stands alone for yesterday
    log(TODAY, "malformed")
    log(TODAY, "found")
    days = {row["day"]: row for row in queries.lookups(scope())}
    assert (days[yesterday]["total"], days[yesterday]["errors"], days[yesterday]["api"]) == (5, 2, 1)
    assert days[yesterday]["error_share"] == 40
    assert (days[TODAY]["total"], days[TODAY]["malformed"]) == (2, 1)
    assert LookupDailySummary.objects.filter(day=yesterday).count() == 4  # web found/checksum/not_found, api found


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_supervisor_sees_everything_in_each_language(client, fixture, language):
    client.force_login(fixture["supervisor"])
    response = client.get(f"/{language}/reports/", {"date_from": "2026-05-01", "date_to": "2026-06-15"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert fixture["overdue"].registration_number in html
    assert 'role="img"' in html and "<title" in html
    assert "<script" not in html and "style=" not in html


def test_department_head_sees_only_their_department_tree(client, fixture):
    client.force_login(fixture["head"])
    html = client.get("/en/reports/", {"date_from": "2026-05-01", "date_to": "2026-06-15"}).content.decode()
    assert "Customs Post 1" in html
    assert ">Legal<" not in html  # the other department's rows (the "Legal terms" heading stays)
    assert "Lookups" not in html  # the lookup log is the Main Department's
    other = client.get("/en/reports/", {"department": fixture["legal_department"].pk})
    assert other.status_code == 400  # not a choice for this head


@pytest.mark.parametrize("role", [Role.REGISTRY_CLERK, Role.EXECUTOR, Role.CALL_CENTRE_OPERATOR])
def test_other_roles_are_refused(client, make_staff, role):
    client.force_login(make_staff(role))
    assert client.get("/en/reports/").status_code == 403


def test_anonymous_users_go_to_login(client):
    assert client.get("/en/reports/").status_code == 302


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "2026-06-10", "date_to": "2026-06-01"}, "date_from"),
        ({"date_to": "2027-01-01"}, "date_to"),
        ({"date_from": "2000-01-01", "date_to": "2026-06-01"}, "date_from"),
        ({"date_from": "31.02.2026"}, "date_from"),
        ({"department": "999999"}, "department"),
        ({"department": "abc"}, "department"),
    ],
)
def test_bad_filters_are_form_errors(client, fixture, query, field):
    client.force_login(fixture["supervisor"])
    response = client.get("/en/reports/", query)
    assert response.status_code == 400
    assert response.context["form"].errors[field]


def test_csv_export_has_a_bom_and_the_same_figures(client, fixture):
    client.force_login(fixture["supervisor"])
    response = client.get("/en/reports/export/departments.csv", {"date_from": "2026-05-01", "date_to": "2026-06-15"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "Customs,3,2,1,1" in text.replace("\r", "")
    assert client.get("/en/reports/export/nope.csv").status_code == 404


def test_xlsx_export_opens_in_a_spreadsheet_with_the_same_figures(client, fixture):
    import io

    from openpyxl import load_workbook

    client.force_login(fixture["supervisor"])
    period = {"date_from": "2026-05-01", "date_to": "2026-06-15"}
    response = client.get("/en/reports/export/departments.xlsx", period)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="dgk-departments-2026-05-01-2026-06-15.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Name", "Received", "Answered", "Open", "Overdue"]
    assert ["Customs", 3, 2, 1, 1] in rows
    overdue = client.get("/en/reports/export/overdue.xlsx", period)
    due_dates = [
        row[3] for row in load_workbook(io.BytesIO(overdue.content)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert due_dates and all(isinstance(due, dt.datetime) for due in due_dates)  # dates, not text
    assert client.get("/en/reports/export/nope.xlsx").status_code == 404


def test_department_heads_cannot_export_the_lookup_log(client, fixture):
    client.force_login(fixture["head"])
    assert client.get("/en/reports/export/lookups.csv").status_code == 404
    assert client.get("/en/reports/export/lookups.xlsx").status_code == 404


def test_the_page_costs_a_fixed_number_of_queries(client, fixture, django_assert_max_num_queries):
    client.force_login(fixture["supervisor"])
    client.get("/en/reports/")
    with django_assert_max_num_queries(30) as counted:
        client.get("/en/reports/")
    LetterFactory.create_batch(
        20,
        executor=ExecutorFactory(department=fixture["customs"], full_name="Abbasov Murad"),
        received_on=dt.date(2026, 5, 20),
    )
    with django_assert_max_num_queries(len(counted.captured_queries)):
        client.get("/en/reports/")


def test_overdue_alerts_go_once_a_day_in_the_heads_language(fixture):
    head_executor = fixture["head"].executor
    head_executor.language = "ru"
    head_executor.save()
    call_command("send_overdue_alerts", stdout=__import__("io").StringIO())
    call_command("send_overdue_alerts", stdout=__import__("io").StringIO())
    (message,) = mail.outbox
    assert message.to == [fixture["head"].email]
    assert fixture["overdue"].registration_number in message.body
    assert fixture["soon"].registration_number in message.body  # in a sub-department
    assert fixture["legal"].registration_number not in message.body
    assert "Просроченные" in message.subject or "просроч" in message.body.lower()
    assert OverdueAlert.objects.get().delivered


def test_every_table_offers_both_downloads_in_the_page_language(client, fixture):
    client.force_login(fixture["supervisor"])
    html = client.get("/ru/reports/", {"date_from": "2026-05-01", "date_to": "2026-06-15"}).content.decode()
    assert html.count("Скачать в формате CSV") == html.count("Скачать в формате Excel (XLSX)") > 1
    assert "/ru/reports/export/departments.xlsx?date_from=2026-05-01" in html


def test_the_action_lists_are_paginated_and_say_the_period_does_not_apply(client, fixture, settings):
    from reports import views

    extra = [LetterFactory(received_on=dt.date(2026, 3, 2)) for _ in range(3)]  # registered, overdue by TODAY
    client.force_login(fixture["supervisor"])
    (views.LIST_PAGE_SIZE, size), (views.DASHBOARD_ROWS, rows) = (2, views.LIST_PAGE_SIZE), (1, views.DASHBOARD_ROWS)
    try:
        first = client.get("/en/reports/letters/overdue/", {"date_from": "2026-06-01", "date_to": "2026-06-15"})
        html = first.content.decode()
        assert first.status_code == 200
        assert "Page 1 of" in html and 'rel="next"' in html
        assert "whatever the date a letter was registered" in html
        second = client.get("/en/reports/letters/overdue/", {"date_to": "2026-06-15", "page": 2}).content.decode()
        assert 'rel="prev"' in second
        assert client.get("/en/reports/letters/nonsense/").status_code == 404
        dashboard = client.get("/en/reports/", {"date_to": "2026-06-15"}).content.decode()
    finally:
        views.LIST_PAGE_SIZE, views.DASHBOARD_ROWS = size, rows
    assert "Overdue now (" in dashboard and "/en/reports/letters/overdue/?date_to=2026-06-15" in dashboard
    assert sum(letter.registration_number in html + second for letter in extra) >= 2


def test_a_long_status_label_keeps_its_full_text_in_the_chart():
    from reports import charts

    svg = charts.bar_chart(
        title="t", description="d", bars=[charts.Bar("Waiting for information from the applicant", 3, "3")]
    )
    assert "<title>Waiting for information from the applicant</title>" in svg


def test_staff_pages_are_wide_and_carry_no_citizen_footer(client, fixture):
    client.force_login(fixture["supervisor"])
    html = client.get("/en/reports/", {"date_to": "2026-06-15"}).content.decode()
    assert "wrap--wide" in html
    assert "The service is free of charge" not in html
    assert "The service is free of charge" in client.get("/en/").content.decode()


def test_the_labels_count_the_days_the_settings_give(client, fixture, settings):
    settings.APPEALS_DUE_SOON_WORKING_DAYS = 5
    settings.APPEALS_FORWARDING_WORKING_DAYS = 4
    client.force_login(fixture["supervisor"])
    html = client.get("/en/reports/", {"date_to": "2026-06-15"}).content.decode()
    assert "Due in the next 5 working days" in html and "3 working days" not in html
    assert "registered 4 working days after registration" in html
    from appeals.statuses import next_steps

    with translation.override("ru"):
        assert "В течение 4 рабочих дней" in next_steps("registered")
